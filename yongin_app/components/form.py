"""Labelled form fields: a visible label, help and error tied to the input (aria-describedby)."""

from __future__ import annotations

import reflex as rx


def form(*children: rx.Component, **props) -> rx.Component:
    """Every form of the app. method="post": should a submit happen before the page's scripts have
    loaded, the browser's own submit must not put the fields (a password, a resident number) in the
    URL, the history and the server log; the POST is refused and nothing is sent anywhere else."""
    return rx.el.form(*children, method="post", **props)


# For a button that reads the fields itself (a form's submit, 중복체크): a mouse press keeps the focus in
# the field being typed in. Otherwise the press blurs that field, and the field's check shows or removes a
# message above the button, moving it before the mouse button comes up: the click is lost and the person
# presses again (found under CPU load, where the check answers within the press). The field is checked
# when the focus moves on. Not for buttons that leave the page: the blur is what keeps the field.
PRESS_KEEPS_FIELD_FOCUS = {"on_mouse_down": rx.prevent_default}


def submit_button(*children: rx.Component | str, disabled: rx.Var[bool] | bool = False, **props) -> rx.Component:
    """A form's submit button, pressable once the page is ready. Before the page's scripts have
    connected (a slow phone, a busy server), a press would do nothing or the browser's own submit:
    so until then the button is disabled, and it is enabled as soon as the page has loaded.
    A press keeps the focus in the field (PRESS_KEEPS_FIELD_FOCUS): the submit reads every field."""
    not_ready = ~rx.State.is_hydrated
    if isinstance(disabled, rx.Var):
        not_ready = not_ready | disabled
    return rx.el.button(*children, type="submit", disabled=not_ready, **PRESS_KEEPS_FIELD_FOCUS, **props)


def field_error(error_id: str, message: rx.Var[str] | str) -> rx.Component:
    # Always in the DOM so that screen readers announce the text when it appears.
    return rx.el.p(message, id=error_id, class_name="field-error", role="alert", aria_live="assertive")


def text_field(
    *,
    field_id: str,
    label: str,
    error: rx.Var[str] | str = "",
    help_text: str | None = None,
    required: bool = False,
    **input_props,
) -> rx.Component:
    """An uncontrolled input read on submit (safe for Korean IME), with its label, help and error."""
    error_id = f"{field_id}-error"
    help_id = f"{field_id}-help"
    described_by = f"{help_id} {error_id}" if help_text else error_id
    has_error = error != "" if isinstance(error, rx.Var) else bool(error)
    return rx.el.div(
        rx.el.label(
            label,
            rx.cond(required, rx.el.span(" (필수)", class_name="required-mark"), rx.fragment()),
            html_for=field_id,
            class_name="field-label",
        ),
        rx.el.input(
            id=field_id,
            name=field_id,
            class_name="field-input",
            aria_describedby=described_by,
            aria_invalid=rx.cond(has_error, "true", "false"),
            required=required,
            **input_props,
        ),
        rx.el.p(help_text, id=help_id, class_name="field-help") if help_text else rx.fragment(),
        field_error(error_id, error),
        class_name="field",
    )
