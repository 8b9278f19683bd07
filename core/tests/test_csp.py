"""Content-Security-Policy: every page carries a strict policy, and no template of the project holds
what that policy would block (inline scripts, inline event handlers, `javascript:` URLs, inline styles).
The browser tests (tests/browser) check that the pages really raise no violation."""

import re

import pytest

from core.tests.test_production_static import project_templates

# A <script> without src, other than a JSON data block, runs inline.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"\b(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
FORBIDDEN = {
    "inline script": INLINE_SCRIPT,
    "inline event handler": EVENT_HANDLER,
    "javascript: URL": JAVASCRIPT_URL,
    "inline style": INLINE_STYLE,
}


def test_the_patterns_catch_what_they_guard():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert EVENT_HANDLER.search('<select name="x" onchange="this.form.submit()">')
    assert not EVENT_HANDLER.search('<select name="x" data-autosubmit>')
    assert JAVASCRIPT_URL.search('<a href="javascript:history.back()">')
    assert INLINE_STYLE.search('<span class="swatch" style="background: red">')
    assert INLINE_STYLE.search("<style>p{}</style>")
    assert not INLINE_STYLE.search('<rect fill="#fff"/>')


@pytest.mark.parametrize("template", sorted(project_templates()), ids=lambda path: "/".join(path.parts[-3:]))
def test_no_template_holds_what_the_policy_blocks(template):
    text = TEMPLATE_COMMENT.sub("", template.read_text())
    found = {name: pattern.findall(text) for name, pattern in FORBIDDEN.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/activities/", "/network/map/", "/accounts/login/"])
def test_pages_send_a_strict_policy(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/network/regions/?format=api", "/admin/login/"])
def test_package_pages_may_use_inline_styles_but_never_inline_scripts(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_url(client):
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert client.get("/api/docs/?script=").status_code == 200
