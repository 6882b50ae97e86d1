"""HTML templates to PDF with WeasyPrint, without the network.

Fonts: the templates ask for "DejaVu Sans" (Debian: fonts-dejavu-core), the one font we can count on to carry
every Vietnamese diacritic. WeasyPrint finds it through fontconfig, so the Makefile (`make deps`) and the
production image must install it; without it Pango falls back to whatever is there and letters may go missing.

Resources: a template can only use `data:` URLs and the app's own static files (`{% static %}` URLs and
`file:` URLs inside a static directory), read from the local disk. Every other URL is refused, so a template
(or a user's text that slips into one) can never make the server fetch something: no SSRF, no tracking pixel,
no slow render waiting on a remote host.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import get_template
from django.utils import translation

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class PdfTemplate(Protocol):
    """What `django.template.loader.get_template` and `engines["django"].from_string` return."""

    def render(self, context: dict[str, Any] | None = ..., request: Any = ...) -> str: ...


def render_pdf(template: str | PdfTemplate, context: dict[str, Any], *, language: str = "vi") -> bytes:
    """Render a Django template (by name, or an already loaded template) to PDF bytes in `language`."""
    # WeasyPrint costs ~0.6 s to import; only processes that really make PDFs should pay for it.
    from weasyprint import HTML

    loaded = get_template(template) if isinstance(template, str) else template
    with translation.override(language):
        html = loaded.render(context)
    document = HTML(string=html, base_url=_base_url(), url_fetcher=_local_only_fetcher())
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf() returns the bytes when no target is given
    return pdf


def qr_data_uri(text: str) -> str:
    """A QR code for `text` as a PNG `data:` URI, to put in `<img src>` inside a PDF template.

    One pixel per module: the template scales it up with `image-rendering: pixelated`, which WeasyPrint turns
    into a PDF image without interpolation, so the squares print sharp at any size. (segno's SVG works too,
    but a PNG is a real image in the PDF, which tests and PDF tools can read back module by module.)
    """
    # Error level M survives a folded or smudged printout; the 4-module border is the quiet zone.
    return segno.make(text, error="m").png_data_uri(scale=1, border=4)


def _base_url() -> str:
    # Relative and `{% static %}` URLs resolve against the public site; the fetcher maps those to local files.
    return f"{settings.PUBLIC_BASE_URL}/"


def _local_only_fetcher() -> URLFetcher:
    # Static URLs are rewritten to `file:` before the parent class opens them, so it needs no network scheme.
    return _fetcher_class()(allowed_protocols=("data", "file"))


@functools.cache
def _fetcher_class() -> type[URLFetcher]:
    # Built on first use so that importing this module does not import WeasyPrint (see render_pdf).
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves `data:` URLs and static files from disk; refuses everything else (never opens a socket)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path_for(url)
            if path is None:
                logger.warning("PDF rendering refused to fetch %s", url[:200])
                raise ValueError(f"PDF templates may only use data: URLs and static files, not {url[:200]}")
            return super().fetch(path.as_uri(), headers)

    return LocalOnlyFetcher


def _static_path_for(url: str) -> Path | None:
    """The local static file a URL names, or None when it names anything else."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _inside_static_dirs(Path(url2pathname(parts.path)))
    static_prefix = f"{settings.PUBLIC_BASE_URL}{settings.STATIC_URL}"
    if parts.scheme in ("http", "https") and url.startswith(static_prefix):
        relative = unquote(parts.path).removeprefix(urlsplit(static_prefix).path)
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:  # "/static/../../etc/passwd"
            return None
        return _inside_static_dirs(Path(found)) if isinstance(found, str) else None
    return None


def _inside_static_dirs(path: Path) -> Path | None:
    # resolve() follows `..` and symlinks, so `file:///app/static/../../etc/passwd` is caught here.
    real = path.resolve()
    if real.is_file() and any(real.is_relative_to(root) for root in _static_roots()):
        return real
    return None


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT).resolve()]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots
