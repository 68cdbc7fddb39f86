"""Rules about status: withdrawn cities and outputs with nothing to render."""

from __future__ import annotations

from collections.abc import Iterator

from twincli.check.rules.context import Context
from twincli.check.rules.registry import Finding, rule
from twincli.model import CONTENT_BY_OUTPUT


@rule("TC601")
def check_withdrawn_record(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        if city.status == "withdrawn" and not city.marks.given("withdrawn"):
            yield Finding(
                city.marks.value("status"),
                "the city is withdrawn but has no 'withdrawn:' record",
                "add 'withdrawn: {date: YYYY-MM-DD, reason: ...}'",
            )


@rule("TC602")
def check_content_present(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        for output in city.outputs.values():
            if (
                output.status in ("submitted", "approved")
                and not output.marks.given("content")
                and output.link is None
                and output.id in CONTENT_BY_OUTPUT
            ):
                yield Finding(
                    output.marks.here(),
                    f"'{output.id}' is {output.status} but has no content to render",
                    "add its 'content:'; `twincli schema --kind city` describes its keys",
                )


@rule("TC603")
def check_withdrawn_record_on_active(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        if city.status == "active" and city.marks.intact("status") and city.withdrawn is not None:
            yield Finding(
                city.marks.key("withdrawn"),
                "the city is active but has a 'withdrawn:' record",
                "set 'status: withdrawn', or remove the record",
            )
