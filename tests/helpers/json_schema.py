#!/usr/bin/python3
"""Validate the JSON lines the lab captured against doc/schema/, as TAP.

json_schema.py SCHEMA_DIR PROBLEM_C CAPTURE_DIR

CAPTURE_DIR holds SCRIPT.TOOL.jsonl files (tests/lab/lab.sh writes them):
every line must be a JSON object valid against SCHEMA_DIR/TOOL.schema.json.
Before that, each schema must be a valid draft 2020-12 schema whose
problem codes are exactly those of PROBLEM_C, and objects known to be
wrong must be rejected, so a schema that accepts anything cannot pass.
"""
import copy
import glob
import json
import os
import re
import sys

import jsonschema

TOOLS = ["certcheck", "caacheck", "http01check", "dns01check",
         "tlsalpn01check"]
MAX_ERRORS = 20
n = 0
failed = 0


def tap(good, desc, diag=()):
    global n, failed
    n += 1
    if not good:
        failed += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, desc))
    for d in diag:
        print("# " + d.replace("\n", " "))


def where(err):
    return "/".join(str(p) for p in err.absolute_path) or "(top)"


def errors(validator, obj):
    return sorted(validator.iter_errors(obj), key=lambda e: list(
        map(str, e.absolute_path)))


def codes_of(problem_c):
    with open(problem_c, encoding="utf-8") as f:
        return re.findall(r'\{CD_P_[A-Z0-9_]+,\s*"([a-z0-9_]+)"', f.read())


# Objects a schema must refuse: each is a valid minimal object with one
# thing wrong, the kind of slip a renamed or retyped key is.
MINIMAL = {"format_version": 1, "target": "example.test", "status": "OK",
           "problems": []}
PROBLEM = {"severity": "CRITICAL", "code": "check_error",
           "message": "it broke"}


def wrong_objects(tool):
    def edit(f):
        o = copy.deepcopy(MINIMAL)
        f(o)
        return o
    w = [
        ("format_version 2", edit(lambda o: o.update(format_version=2))),
        ("format_version as a string",
         edit(lambda o: o.update(format_version="1"))),
        ("status renamed", edit(lambda o: o.update(state=o.pop("status")))),
        ("status not a status", edit(lambda o: o.update(status="FINE"))),
        ("target missing", edit(lambda o: o.pop("target"))),
        ("an unknown top-level key", edit(lambda o: o.update(extra=1))),
        ("problems as an object", edit(lambda o: o.update(problems={}))),
        ("a problem code that does not exist",
         edit(lambda o: o.update(problems=[dict(PROBLEM, code="no_such")]))),
        ("a problem without message", edit(lambda o: o.update(
            problems=[{"severity": "CRITICAL", "code": "check_error"}]))),
        ("a problem key renamed", edit(lambda o: o.update(problems=[
            {"severity": "CRITICAL", "code": "check_error", "msg": "x"}]))),
        ("ignored as a string", edit(lambda o: o.update(
            problems=[dict(PROBLEM, ignored="true")]))),
    ]
    cert = {"subject": "CN=a", "issuer": "CN=a", "serial": "01",
            "sha256": "00", "not_before": "2026-01-01T00:00:00Z",
            "not_after": "2026-04-01T00:00:00Z", "days_left": 3.5,
            "key": {"type": "ECDSA", "bits": 256}, "signature": "x",
            "san": ["a"], "ca": False, "self_signed": True}
    if tool == "certcheck":
        w += [
            ("days_left as a string", edit(lambda o: o.update(
                days_left="3"))),
            ("chain.0.not_after not a time", edit(lambda o: o.update(
                chain=[dict(cert, not_after="tomorrow")]))),
            ("chain.0.subject missing", edit(lambda o: o.update(chain=[
                {k: v for k, v in cert.items() if k != "subject"}]))),
            ("verify.trusted as 1", edit(lambda o: o.update(
                verify={"trusted": 1, "reasons": []}))),
        ]
    elif tool == "caacheck":
        w += [
            ("verdict not a verdict", edit(lambda o: o.update(
                verdict="maybe"))),
            ("records.0.flags as a string", edit(lambda o: o.update(
                records=[{"flags": "0", "tag": "issue", "value": "x",
                          "critical": False}]))),
        ]
    elif tool == "http01check":
        w += [
            ("attempts.0.result not a code", edit(lambda o: o.update(
                attempts=[{"address": "::1", "hops": [],
                           "result": "fine"}]))),
            ("body_matches as a string", edit(lambda o: o.update(
                body_matches="yes"))),
        ]
    elif tool == "dns01check":
        w += [
            ("txt as a string", edit(lambda o: o.update(txt="abc"))),
            ("dnssec not a state", edit(lambda o: o.update(
                dnssec="signed"))),
        ]
    elif tool == "tlsalpn01check":
        w += [
            ("port as a string", edit(lambda o: o.update(port="443"))),
            ("certificate.days_left as a string", edit(lambda o: o.update(
                certificate=dict(cert, days_left="3")))),
        ]
    return w


def check_schemas(schema_dir, problem_c):
    codes = codes_of(problem_c)
    validators = {}
    tap(len(codes) > 0, "%s lists problem codes (%d)" % (problem_c,
                                                       len(codes)))
    for tool in TOOLS:
        path = os.path.join(schema_dir, tool + ".schema.json")
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
        except (OSError, ValueError, jsonschema.SchemaError) as e:
            tap(False, "%s: a valid draft 2020-12 schema" % path, [str(e)])
            continue
        tap(schema.get("$schema") ==
            "https://json-schema.org/draft/2020-12/schema",
            "%s: a valid draft 2020-12 schema" % path)
        v = jsonschema.Draft202012Validator(schema)
        validators[tool] = v
        enum = schema.get("$defs", {}).get("problem_code", {}).get("enum", [])
        missing = sorted(set(codes) - set(enum))
        extra = sorted(set(enum) - set(codes))
        tap(not missing and not extra,
            "%s: the problem codes are exactly those of problem.c" % tool,
            ["not allowed: " + " ".join(missing)] * bool(missing) +
            ["not in problem.c: " + " ".join(extra)] * bool(extra))
        tap(not errors(v, MINIMAL), "%s: a minimal object is valid" % tool,
            [where(e) + ": " + e.message for e in errors(v, MINIMAL)])
        for what, obj in wrong_objects(tool):
            tap(bool(errors(v, obj)), "%s: rejects %s" % (tool, what))
    return validators


def check_capture(validators, capture_dir):
    files = sorted(glob.glob(os.path.join(capture_dir, "*.jsonl")))
    total = 0
    per_tool = dict.fromkeys(TOOLS, 0)
    for path in files:
        name = os.path.basename(path)
        tool = name.split(".")[-2]
        if tool not in validators:
            tap(False, "%s: a tool with a schema" % name)
            continue
        v = validators[tool]
        bad = []
        lines = 0
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for i, line in enumerate(f, 1):
                lines += 1
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    bad.append("%s:%d: not JSON: %s" % (name, i, e))
                    continue
                for e in errors(v, obj):
                    bad.append("%s:%d: %s: %s" % (name, i, where(e),
                                                  e.message))
        total += lines
        per_tool[tool] += lines
        tap(not bad and lines > 0, "%s: %d lines valid against %s."
            "schema.json" % (name, lines, tool),
            bad[:MAX_ERRORS] + ["... %d more" % (len(bad) - MAX_ERRORS)] *
            (len(bad) > MAX_ERRORS))
    tap(total > 0, "JSON lines were captured in %s (%d: %s)" % (
        capture_dir, total, ", ".join("%s %d" % kv for kv in
                                      per_tool.items())))


def main():
    if len(sys.argv) != 4:
        print("usage: json_schema.py SCHEMA_DIR PROBLEM_C CAPTURE_DIR",
              file=sys.stderr)
        return 2
    validators = check_schemas(sys.argv[1], sys.argv[2])
    check_capture(validators, sys.argv[3])
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
