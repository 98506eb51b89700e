"""The window as a screen reader meets it: read through AT-SPI, the accessibility bus Orca
uses on Linux, from the running PresignDesk window (process PID).

    screen-reader.py PID [--expect NAME]... [--press NAME] [--wait TEXT] [--timeout S]

Prints the tree (role and name of every node), then checks that every control a person acts
on (buttons, toggles, check boxes, radio buttons, combo boxes, text fields, sliders, links,
tabs) has a name, and that no two controls of one role share one. `--expect` names controls
that must be there; `--press` performs the default action of the control named (as a screen
reader's user does), then `--wait` waits for a text to be shown. Exits 1 on a failed check,
2 when the window never came onto the bus.
"""

import argparse
import sys
import time

import pyatspi

CONTROLS = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "entry",
    "password text",
    "spin button",
    "slider",
    "menu item",
    "link",
    "page tab",
}


def find_app(pid, deadline):
    while time.time() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:
                continue
        time.sleep(0.3)
    return None


def nodes(node, depth=0):
    """Every node under `node` with its depth, role and name."""
    try:
        role, name = node.getRoleName(), node.name or ""
    except Exception:
        return
    yield node, depth, role, name
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from nodes(child, depth + 1)


def shown_texts(app):
    texts = []
    for node, _, _, name in nodes(app):
        texts.append(name)
        try:
            texts.append(node.queryText().getText(0, -1))
        except Exception:
            pass
    return texts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pid", type=int)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--press")
    parser.add_argument("--wait")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()

    app = find_app(args.pid, time.time() + args.timeout)
    if app is None:
        print("the window never came onto the accessibility bus")
        return 2
    # The tree fills in once the first frame is drawn.
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        names = {name for _, _, _, name in nodes(app)}
        if all(e in names for e in args.expect) and len(names) > 3:
            break
        time.sleep(0.3)

    failures = []
    seen = {}
    for node, depth, role, name in nodes(app):
        print("  " * depth + f"{role}: {name!r}")
        if role in CONTROLS:
            if not name.strip():
                failures.append(f"a {role} with no name")
            seen[(role, name)] = seen.get((role, name), 0) + 1
    if not any(role in CONTROLS for (role, _) in seen):
        failures.append("no control in the tree")
    for (role, name), count in seen.items():
        if count > 1 and name.strip():
            failures.append(f"{count} controls of role {role} named {name!r}")
    names = {name for (_, name) in seen} | {n for _, _, _, n in nodes(app)}
    for expected in args.expect:
        if expected not in names:
            failures.append(f"no control named {expected!r}")

    if args.press and not failures:
        target = next(
            (n for n, _, role, name in nodes(app) if name == args.press and role in CONTROLS),
            None,
        )
        if target is None:
            failures.append(f"nothing to press named {args.press!r}")
        else:
            action = target.queryAction()
            action.doAction(0)
            print(f"pressed {args.press!r} ({action.getName(0)})")
            if args.wait:
                deadline = time.time() + args.timeout
                while time.time() < deadline:
                    if any(args.wait in t for t in shown_texts(app)):
                        print(f"shown: {args.wait!r}")
                        break
                    time.sleep(0.3)
                else:
                    failures.append(f"{args.wait!r} never shown after pressing {args.press!r}")

    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
