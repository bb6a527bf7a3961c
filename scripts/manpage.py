#!/usr/bin/env python3
"""Writes the man page of prefect-mcp, prefect-mcp(1), from the command definitions themselves: the JSON that
`prefect-mcp --experimental-dump-help` prints (swift-argument-parser's ToolInfo), so --help and the man page never
disagree. scripts/install and scripts/package-deb call it.

    prefect-mcp --experimental-dump-help | scripts/manpage.py [--date YYYY-MM-DD] > prefect-mcp.1
"""
import argparse
import datetime
import json
import sys


def roff(text: str) -> str:
    """Text safe in a roff line: backslashes and hyphens escaped, no line starting with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # Non-ASCII as groff's Unicode escapes: the page renders the same with or without preconv.
    text = "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def paragraphs(text: str) -> list:
    """Discussion text as roff: blank lines become paragraph breaks, indented lines stay as they are (examples)."""
    out = []
    block = []
    literal = False
    for line in text.split("\n"):
        indented = line.startswith("  ")
        if not line.strip():
            if block:
                out.append(roff("\n".join(block)))
                block = []
            out.append(".fi" if literal else ".PP")
            literal = False
            continue
        if indented and not literal:
            if block:
                out.append(roff("\n".join(block)))
                block = []
            out += [".PP", ".nf"]
            literal = True
        block.append(line)
    if block:
        out.append(roff("\n".join(block)))
    if literal:
        out.append(".fi")
    return out


def flag_names(argument: dict) -> str:
    names = []
    for name in argument.get("names", []):
        dashes = "-" if name["kind"] in ("short", "longWithSingleDash") else "--"
        names.append(f"\\fB{roff(dashes + name['name'])}\\fR")
    return ", ".join(names)


def argument_label(argument: dict) -> str:
    value = f"\\fI<{roff(argument.get('valueName', 'value'))}>\\fR"
    if argument["kind"] == "positional":
        return value
    if argument["kind"] == "flag":
        return flag_names(argument)
    return f"{flag_names(argument)} {value}"


def synopsis(command: dict, path: list) -> str:
    parts = [f"\\fB{roff(' '.join(path))}\\fR"]
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True) or argument["kind"] == "flag" and argument.get("names", [{}])[0].get("name") in ("help", "version"):
            continue
        preferred = argument.get("preferredName")
        if argument["kind"] == "positional":
            label = f"\\fI<{roff(argument.get('valueName', 'value'))}>\\fR"
        elif argument["kind"] == "flag":
            label = f"\\fB{roff(('-' if preferred['kind'] == 'short' else '--') + preferred['name'])}\\fR"
        else:
            label = f"\\fB{roff(('-' if preferred['kind'] == 'short' else '--') + preferred['name'])}\\fR \\fI<{roff(argument.get('valueName', 'value'))}>\\fR"
        if argument.get("isRepeating"):
            label += " ..."
        parts.append(f"[{label}]" if argument.get("isOptional") else label)
    if command.get("subcommands"):
        parts.append("\\fI<subcommand>\\fR")
    return " ".join(parts)


def options(command: dict) -> list:
    out = []
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True):
            continue
        out += [".TP", argument_label(argument)]
        text = argument.get("abstract", "")
        if argument.get("discussion"):
            text += "\n" + argument["discussion"]
        if argument.get("defaultValue") and argument["kind"] != "flag":
            text += f" (default: {argument['defaultValue']})"
        if argument.get("allValues"):
            text += f" (values: {', '.join(argument['allValues'])})"
        out.append(roff(text.strip()) or "\\&")
    return out


def page(info: dict, date: str) -> str:
    root = info["command"]
    name = root["commandName"]
    out = [f'.TH {roff(name.upper())} 1 "{date}" "{roff(name)}" "User Commands"',
           ".SH NAME", f"{roff(name)} \\- {roff(root.get('abstract', ''))}",
           ".SH SYNOPSIS", synopsis(root, [name])]
    for sub in root.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            out += [".br", synopsis(sub, [name, sub["commandName"]])]
    out += [".SH DESCRIPTION"] + paragraphs(root.get("discussion") or root.get("abstract", ""))
    out += [".SH OPTIONS"] + options(root)
    out.append(".SH COMMANDS")

    def describe(command: dict, path: list):
        nonlocal out
        out += [".SS " + roff(" ".join(path)), synopsis(command, path), ".PP", roff(command.get("abstract", ""))]
        if command.get("discussion"):
            out += paragraphs(command["discussion"])
        if command.get("arguments"):
            out += [".PP", "Options:", ".RS"] + options(command) + [".RE"]
        for sub in command.get("subcommands", []):
            if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
                describe(sub, path + [sub["commandName"]])

    for sub in root.get("subcommands", []):
        if sub.get("shouldDisplay", True) and sub["commandName"] != "help":
            describe(sub, [name, sub["commandName"]])
    out += [".SH EXIT STATUS", "0 on success; non-zero with a message on standard error otherwise.",
            ".SH SEE ALSO", "\\fBprefect\\fR(1); \\fBprefect-mcp help\\fR \\fI<command>\\fR and "
            "\\fBprefect-mcp\\fR \\fI<command>\\fR \\fB\\-\\-help\\fR print the same text."]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Write prefect-mcp(1) from --experimental-dump-help JSON on stdin.")
    parser.add_argument("--date", default=datetime.date.today().isoformat(), help="the page's date (default today)")
    args = parser.parse_args()
    try:
        info = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        print(f"manpage.py: standard input is not the JSON of --experimental-dump-help: {error}", file=sys.stderr)
        return 1
    if not isinstance(info, dict) or "command" not in info:
        print("manpage.py: standard input has no 'command': not the JSON of --experimental-dump-help", file=sys.stderr)
        return 1
    sys.stdout.write(page(info, args.date))
    return 0


if __name__ == "__main__":
    sys.exit(main())
