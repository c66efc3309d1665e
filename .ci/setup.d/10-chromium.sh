# The web pages are tested in a real browser: Debian's Chromium, driven by Playwright (the
# Playwright browser download does not work here). Tests fail rather than skip when it is missing.
apt_install chromium fonts-dejavu-core
export ADOPTSCORE_REQUIRE_BROWSER=1
