# One image for the web (gunicorn), the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CCEE_VAR_DIR=/var/lib/ccee
WORKDIR /app
RUN useradd --system --create-home --home-dir /home/ccee ccee \
    && mkdir -p /var/lib/ccee/private /var/lib/ccee/staticfiles \
    && chown -R ccee:ccee /var/lib/ccee
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /build/node_modules/bootstrap/dist/css/bootstrap.min.css /build/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
COPY --from=assets /build/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
COPY --from=assets /build/node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && chown -R ccee:ccee /var/lib/ccee
USER ccee
EXPOSE 8000
CMD ["gunicorn", "ccee_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
