"""Server mode in a real browser: register, log out, log in, and a wrong password."""

from __future__ import annotations

from typing import Any

from browser_shots import shoot

PASSWORD = "correct horse battery"


def test_register_logout_and_login(multi_user_server: str, page: Any) -> None:
    page.goto(multi_user_server + "/plan")
    assert "/login?next=/plan" in page.url
    shoot(page, "login")
    page.get_by_role("link", name="Create one").click()
    page.get_by_label("Email").fill("browser@example.org")
    page.get_by_label("Password (at least 12 characters)").fill("short")
    page.get_by_role("button", name="Create account").click()
    assert "at least 12 characters" in page.inner_text("#err-password")
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/profile")
    assert page.get_by_role("button", name="Log out").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.goto(multi_user_server + "/profile")
    assert "/login" in page.url

    page.get_by_label("Email").fill("browser@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert "wrong" in page.inner_text("[role=alert]")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/profile")
    assert "Your profile" in page.inner_text("main")
    shoot(page, "profile-signed-in")
