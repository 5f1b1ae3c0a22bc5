"""Credentials for pushing to a triple store, and keeping them out of every message.

The user name comes from ``--user`` (or the ``user@`` of the URL, or the ``login`` of a netrc entry for the
host); the password, in this order, from the URL's ``user:password@``, the environment variable
``LDNGRAPH_PASSWORD``, a netrc entry for the host (``$NETRC``, else ``~/.netrc``), or a prompt when a
terminal is attached. A password is never printed: :class:`Credentials` hides it from ``repr``, URLs are
shown without their userinfo, and :meth:`Credentials.redact` removes the password from any text that
might hold it (a server's error page, an exception).
"""

from __future__ import annotations

import getpass
import netrc
import os
import re
import sys
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldngraph.sparql.store_interface import EndpointError

PASSWORD_ENV = "LDNGRAPH_PASSWORD"

_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s?#]*@")


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP basic or digest authentication (the password never in repr)."""

    user: str
    password: str = field(repr=False)
    source: str = ""

    def redact(self, text: str) -> str:
        """``text`` without URL userinfo and without this password (nor its URL-encoded form)."""
        text = strip_userinfo(text)
        for secret in {self.password, urllib.parse.quote(self.password, safe="")}:
            if secret:
                text = text.replace(secret, "***")
        return text


def strip_userinfo(text: str) -> str:
    """Every URL in ``text`` without its ``user:password@`` part."""
    return _USERINFO.sub(lambda m: m.group("scheme"), text)


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without userinfo, and the user and password it held (percent-decoded), if any."""
    parsed = urllib.parse.urlsplit(url)
    if "@" not in parsed.netloc:
        return url, None, None
    userinfo, _, hostport = parsed.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit(parsed._replace(netloc=hostport))
    return clean, urllib.parse.unquote(user) or None, urllib.parse.unquote(password) if colon else None


def netrc_entry(host: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The (login, password) of the netrc entry for ``host`` ($NETRC, else ~/.netrc), or None."""
    environ = os.environ if environ is None else environ
    path = Path(environ["NETRC"]) if environ.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:  # its message may quote a token: say only where
        raise EndpointError(f"cannot read the netrc file {path} (line {exc.lineno}): fix or remove it") from None
    except OSError as exc:
        raise EndpointError(f"cannot read the netrc file {path}: {exc.strerror}") from None
    if entry is None or not entry[2]:
        return None
    return entry[0] or "", entry[2]


def resolve_credentials(
    url: str,
    user: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    prompt: Callable[[str], str] | None = None,
    interactive: bool | None = None,
) -> tuple[str, Credentials | None]:
    """The URL without userinfo and the credentials to use with it (None: send none).

    ``prompt`` (default :func:`getpass.getpass`) is asked for the password only when ``interactive``
    (default: stdin is a terminal) and no other source has one.
    """
    environ = os.environ if environ is None else environ
    clean, url_user, url_password = split_userinfo(url)
    host = urllib.parse.urlsplit(clean).hostname or ""
    name = user or url_user
    if url_password is not None:
        return clean, Credentials(name or "", url_password, "the URL")
    if environ.get(PASSWORD_ENV) and name:
        return clean, Credentials(name, environ[PASSWORD_ENV], PASSWORD_ENV)
    entry = netrc_entry(host, environ)
    if entry and (not name or not entry[0] or entry[0] == name):
        return clean, Credentials(name or entry[0], entry[1], "netrc")
    if not name:
        return clean, None
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        raise EndpointError(
            f"no password for user {name!r}: set {PASSWORD_ENV}, add a netrc entry for {host} "
            "(~/.netrc or $NETRC), or run in a terminal to be asked"
        )
    ask = prompt or getpass.getpass
    return clean, Credentials(name, ask(f"password for {name} at {host}: "), "prompt")
