"""Modal dialogs on Radix's dialog primitive, as Reflex ships it (rx.radix.primitives.dialog).

Not Radix Themes' rx.dialog: the app uses no other Themes component, and Themes puts about
160 KB (gzip) of scripts and styles on every page (BENCHMARKS.md). The primitive keeps what
matters: focus moves into the dialog and returns to its opener, Escape closes it, the page
behind is inert, and the title and description name and describe it.
"""

from __future__ import annotations

import reflex as rx

_primitive = rx.radix.primitives.dialog

root = _primitive.root
title = _primitive.title
description = _primitive.description


def trigger(button: rx.Component) -> rx.Component:
    """The button that opens the dialog (the button itself, not a button around it)."""
    return _primitive.trigger(button, as_child=True)


def close(button: rx.Component) -> rx.Component:
    """A button whose only job is to close the dialog. (A button with its own on_click stays
    outside close(): Reflex would wrap it in a div, and its handler decides what comes next.)"""
    return _primitive.close(button, as_child=True)


def content(*children: rx.Component, class_name: str = "", **props) -> rx.Component:
    """The dimmed backdrop and the dialog box, rendered at the end of the page."""
    return _primitive.portal(
        _primitive.overlay(class_name="dialog-overlay"),
        _primitive.content(*children, class_name=f"dialog-content {class_name}".strip(), **props),
    )


def alert_content(*children: rx.Component, class_name: str = "", **props) -> rx.Component:
    """A confirmation that needs an answer: announced as an alertdialog."""
    return content(*children, class_name=class_name, role="alertdialog", **props)
