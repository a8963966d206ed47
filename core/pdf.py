"""HTML to PDF: `render_pdf` is the one place the portal makes a PDF from a template.

WeasyPrint takes about half a second to import, so every process (each `manage.py` command, each
worker) would pay it at start-up for a PDF it may never make. The engine (`core.pdf_engine`) is
imported on the first PDF instead; its other names (`RefusedURL`, `StaticFilesFetcher`, …) are
reachable from here too.
"""


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render the template to PDF bytes (see core.pdf_engine.render_pdf)."""
    from . import pdf_engine

    return pdf_engine.render_pdf(template_name, context, request)


def __getattr__(name: str):
    if name.startswith("__"):  # the import machinery asks for __path__ and the like
        raise AttributeError(name)
    from . import pdf_engine

    return getattr(pdf_engine, name)
