# Customer decks (issue 5): LibreOffice Impress converts decks to PDF (adoptscore deck --format pdf)
# and renders them in the overflow test (tests/deck/test_fit.py); poppler-utils turns the PDF into
# images and word positions; DejaVu is the font LibreOffice falls back to (the deck's text-width
# estimate is made for it).
apt_install libreoffice-impress poppler-utils fonts-dejavu-core
command -v soffice >/dev/null 2>&1 || { echo "ci: soffice missing after installing libreoffice-impress" >&2; exit 1; }
