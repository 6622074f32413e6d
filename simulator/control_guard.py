"""Who may call the control API (SPEC §8): it rewrites the whole state, so no web
page the tester happens to visit may reach it.

- A body must be declared `application/json` or `application/yaml`. A cross-site
  page can send only form-like types without asking first (CORS preflight), and
  the portal answers no preflight.
- A request whose `Origin` is another site is refused (a browser always sends it
  on a cross-site POST).
- The `Host` must be the portal's own (a loopback name, the address it serves on,
  or one allowed with --allow-host), which defeats DNS rebinding: a site whose name
  resolves to 127.0.0.1 still sends its own name as the Host.
"""
from __future__ import annotations

from urllib.parse import urlsplit

BODY_TYPES = ("application/json", "application/yaml")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _hostname(netloc: str) -> str:
    """'Example.COM:8000' -> 'example.com'; '[::1]:80' -> '::1'; '' when malformed."""
    try:  # urlsplit raises on a bracket left open ('[::1'): a header is anyone's to write
        host = urlsplit(f"//{netloc}").hostname
    except ValueError:
        return ""
    return (host or "").lower()


def _origin_netloc(origin: str) -> str | None:
    """The host[:port] an Origin names, or None when it is no URL at all."""
    try:
        parts = urlsplit(origin)
        parts.port  # raises on a port out of range or not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.netloc.lower()


def refusal(method: str, host: str, origin: str | None, mimetype: str,
            allowed_hosts: frozenset[str]) -> str | None:
    """Why this control request is refused, or None when it may go ahead."""
    if _hostname(host) not in LOOPBACK_HOSTS | allowed_hosts:
        return (f"Host {host!r} is not this portal's own; the control API answers only "
                f"requests addressed to it (start it with --allow-host {_hostname(host) or 'NAME'} "
                f"to allow that name)")
    if origin == "null":
        return "requests from an opaque origin may not use the control API"
    if origin is not None:
        netloc = _origin_netloc(origin)
        if netloc is None:
            return f"Origin {origin[:100]!r} is not a site's address"
        if netloc != host.lower():
            return f"requests from another site ({origin[:100]}) may not use the control API"
    # A DELETE without a body may say no type: no page can send a DELETE to another
    # site without the CORS preflight, which the portal never answers.
    bodyless_delete = method == "DELETE" and not mimetype
    if (method in ("POST", "PUT", "PATCH", "DELETE") and mimetype not in BODY_TYPES
            and not bodyless_delete):
        shown = mimetype or "none"
        return (f"Content-Type {shown} is not accepted: send the body as application/json "
                f"or application/yaml")
    return None
