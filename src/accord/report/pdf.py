"""HTML report -> PDF with WeasyPrint (the optional ``accord[pdf]`` extra, imported lazily)."""

from __future__ import annotations

from typing import Any

from accord.errors import InputError

INSTALL_HINT = "pip install 'accord[pdf]'"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError as missing:
        raise InputError(
            f"PDF reports need WeasyPrint, which is not installed ({missing.name or missing}); "
            f"install it with: {INSTALL_HINT}"
        ) from missing
    except OSError as broken:  # WeasyPrint present but its system libraries (Pango) are missing
        raise InputError(
            f"PDF reports need WeasyPrint's system libraries (Pango): {broken}; "
            "see WeasyPrint's installation guide"
        ) from broken
    return weasyprint


def available() -> bool:
    """Whether this installation can print PDFs (the ``pdf`` extra and its system
    libraries); pages offer a PDF download only then."""
    try:
        _weasyprint()
    except InputError:
        return False
    return True


def render_pdf(page: str) -> bytes:
    """Print the self-contained HTML ``page`` to PDF bytes (A4 unless the page says otherwise).

    No base URL is given, so nothing is ever fetched, and the document carries no creation
    date, so the same page gives the same bytes.
    """
    data: bytes = render_document(page).write_pdf()
    return data


def render_document(page: str) -> Any:
    """The laid-out WeasyPrint document (``.pages``, ``.write_pdf()``) for ``page``."""
    return _weasyprint().HTML(string=page, base_url=None).render()
