"""Content-Security-Policy: the app's own pages load scripts and styles from the app only, with no
inline script, inline event handler, `javascript:` URL, inline `<style>` or `style` attribute.

The admin, the browsable API and the API docs come from their packages, whose templates carry
`style` attributes and `<style>` blocks; those pages alone may use inline styles (never inline scripts).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

THIRD_PARTY_UI_PREFIXES = ("/admin/", "/api/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(THIRD_PARTY_UI_PREFIXES):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
