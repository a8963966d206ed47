# One image for the web (gunicorn), the Celery worker and beat.
# The front-end files: vendor-assets.txt names them, for `make install` and for this image.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json vendor-assets.txt ./
COPY tools/copy-vendor-assets tools/
RUN npm ci --no-audit --no-fund --loglevel=error \
    && sh tools/copy-vendor-assets --production node_modules vendor

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CCEE_VAR_DIR=/var/lib/ccee
WORKDIR /app
# WeasyPrint (core/pdf.py) lays out text with Pango and needs a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /home/ccee ccee \
    && mkdir -p /var/lib/ccee/private /var/lib/ccee/staticfiles \
    && chown -R ccee:ccee /var/lib/ccee
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
# The bytecode of the portal's own modules, made once here: with PYTHONDONTWRITEBYTECODE (and a
# read-only tree for the ccee user) every gunicorn and Celery process would otherwise compile
# them again at start-up (about 0.6 s of CPU each, paid again at each worker restart).
RUN python -m compileall -q -x '(node_modules|static)' .
COPY --from=assets /build/vendor static/vendor/
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && chown -R ccee:ccee /var/lib/ccee
USER ccee
EXPOSE 8000
CMD ["gunicorn", "ccee_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
