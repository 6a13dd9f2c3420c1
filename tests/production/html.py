"""Reading pages and filling in forms the way a browser does (BeautifulSoup)."""

import base64
import re
import time
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from .stack import HOST, StackError


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def form_fields(form):
    """What a browser submits for ``form`` untouched (no submit button): a list of
    (name, value) pairs, in document order."""
    fields = []
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            # The HTML parser keeps the leading newline that browsers drop.
            text = element.text
            fields.append((name, text[1:] if text.startswith("\n") else text))
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = options[:1]
            fields.extend((name, option.get("value", option.text)) for option in chosen)
        else:
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    fields.append((name, element.get("value", "on")))
                continue
            fields.append((name, element.get("value", "")))
    return fields


def replace_field(fields, name, value):
    if not any(key == name for key, _ in fields):
        raise StackError(f"the form has no field {name!r}: {[key for key, _ in fields]}")
    return [(key, value if key == name else old) for key, old in fields]


def find_form(page, **attributes):
    form = page.find("form", attrs=attributes)
    if form is None:
        raise StackError(f"no form with {attributes} on the page")
    return form


def local_links(page, base_path, site_url):
    """Addresses on this site that the page links to or loads, as paths.

    Returns (pages, assets): pages from <a href> and <link> (canonical, alternates,
    feeds); assets from <script src>, <img src/srcset>, <link rel=stylesheet|icon>.
    Absolute addresses must be under SITE_URL; links to other sites (share links) are
    left out of pages, and any asset from another host is reported as such.
    """
    pages, assets, foreign_assets = set(), set(), set()

    def local(url):
        absolute = urljoin(f"{site_url}{base_path}", url)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != site_url:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    for tag in page.find_all("a", href=True):
        href = tag["href"]
        if href.startswith(("mailto:", "tel:", "#")):
            continue
        path = local(href)
        if path is not None:
            pages.add(path)
    for tag in page.find_all("link", href=True):
        rel = set(tag.get("rel") or [])
        target = assets if rel & {"stylesheet", "icon", "preload", "manifest"} else pages
        path = local(tag["href"])
        if path is None:
            (foreign_assets if target is assets else set()).add(tag["href"])
        else:
            target.add(path)
    sources = [
        tag["src"] for tag in page.find_all(["script", "img", "source", "iframe"]) if tag.get("src")
    ]
    for tag in page.find_all(["img", "source"], srcset=True):
        sources += [item.strip().split(" ")[0] for item in tag["srcset"].split(",") if item.strip()]
    for src in sources:
        path = local(src)
        if path is None:
            foreign_assets.add(src)
        else:
            assets.add(path)
    return pages, assets, foreign_assets


LANGUAGE_PREFIX = re.compile(r"^/(en|es|fr|de|ar)/")


def language_of(path):
    match = LANGUAGE_PREFIX.match(path)
    return match.group(1) if match else None


def host_header(stack):
    return f"{HOST}:{stack.ports['https']}"


def admin_login(browser, stack):
    """Log the editor in through ``browser`` (one app process, or nginx): the password,
    then the second factor production asks every staff account for."""
    username, password = stack.editor
    page = browser.get("/admin/login/?next=/admin/")
    if page.status != 200:
        raise StackError(f"/admin/login/ answered {page.status}")
    form = find_form(soup(page), id="login-form")
    fields = replace_field(
        replace_field(form_fields(form), "username", username), "password", password
    )
    answer = browser.post_form(
        "/admin/login/?next=/admin/",
        fields,
        headers={"Origin": stack.site_url, "Referer": f"{stack.site_url}/admin/login/"},
    )
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise StackError(f"admin login failed: {answer.status} {answer.text[:2000]}")
    step = urlsplit(answer.header("Location", "")).path
    if step == "/admin/two-factor/set-up/":
        answer = enrol_authenticator(browser, stack, answer.header("Location"))
    elif step == "/admin/two-factor/":
        answer = give_code(browser, stack, answer.header("Location"))
    else:
        raise StackError(f"production let a password alone into the admin: {step}")
    return answer


def _post_code(browser, stack, path, form_id, code):
    form = find_form(soup(browser.get(path)), id=form_id)
    fields = replace_field(form_fields(form), "code", code)
    answer = browser.post_form(
        urljoin(path, form.get("action") or path),
        fields,
        headers={"Origin": stack.site_url, "Referer": f"{stack.site_url}{path}"},
    )
    if answer.status != 302:
        raise StackError(f"{path}: the code was refused: {answer.status} {answer.text[:2000]}")
    return answer


def enrol_authenticator(browser, stack, path):
    """First sign-in: read the key beside the QR code as a phone's authenticator app would,
    confirm with its code, and keep the backup codes shown once."""
    page = soup(browser.get(path))
    if not page.find("img", class_="two-factor-qr")["src"].startswith("data:image/svg+xml"):
        raise StackError("the enrolment page has no QR code")
    stack.totp_key = base64.b32decode(page.find(id="two-factor-secret").text.replace(" ", ""))
    answer = _post_code(browser, stack, path, "two-factor-enrol-form", authenticator_code(stack))
    codes = soup(browser.get(answer.header("Location")))
    stack.backup_codes = [code.text for code in codes.select("#backup-codes code")]
    if len(stack.backup_codes) != 10:
        raise StackError(f"expected 10 backup codes, got {stack.backup_codes}")
    return answer


def authenticator_code(stack):
    """The app's code for a time step not used yet (each is accepted once; the server also
    takes the next step's), or None when both are spent."""
    from django_otp.oath import totp

    now = int(time.time() // 30)
    for drift in (0, 1):
        if now + drift > stack.totp_last_step:
            stack.totp_last_step = now + drift
            return f"{totp(stack.totp_key, drift=drift):06d}"
    return None


def give_code(browser, stack, path):
    code = authenticator_code(stack) or stack.backup_codes.pop()
    return _post_code(browser, stack, path, "two-factor-form", code)
