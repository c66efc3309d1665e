# The web pages are tested in a real browser: Debian's Chromium, driven by Playwright (the
# Playwright browser download does not work here). Sourced by .ci/test.
if ! skipping browser; then
  apt_install browser chromium fonts-dejavu-core
fi
