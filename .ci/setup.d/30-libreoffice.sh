# Customer decks: LibreOffice Impress converts decks to PDF (adoptscore deck --format pdf) and
# renders them in the overflow test (tests/deck/test_fit.py); poppler-utils turns the PDF into
# images and word positions; DejaVu is the font LibreOffice falls back to (the deck's text-width
# estimate is made for it). Sourced by .ci/test.
if ! skipping libreoffice; then
  apt_install libreoffice libreoffice-impress poppler-utils fonts-dejavu-core
  command -v soffice >/dev/null 2>&1 || { echo "test setup: soffice missing after installing libreoffice-impress" >&2; exit 1; }
fi
