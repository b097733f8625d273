#!/usr/bin/env python3
"""Local stand-in for the W&B public GraphQL API, serving one fixture "world".

It is schema-less: any query's selection set is projected onto the world JSON
(fields, aliases, fragments, inline fragments by __typename, @include/@skip,
variables with defaults, Relay connections with first/after). Selected fields
absent from the world are recorded as `missing` in the request log, so a test
can tell a typo in a query from a real null.

URL layout (all under 127.0.0.1:<port>):
  POST [/world/<tag>][/fault/<spec>]/graphql   a GraphQL request
  POST /world/<tag>/control                    mutate that private world copy
  GET  /healthz                                readiness
  GET  /_standin/requests                      recent request records (JSON)
`/world/<tag>` gives a test its own copy of the world, so mutations cannot leak
into parallel tests. A fault can also be chosen with the `X-Standin-Fault` header.

Fault specs: 401 403 404 500 502 503 429 (Retry-After and RateLimit-Reset: 1),
<code>x<N>-<tag> (first N requests with that exact spec fail, then normal),
gql-notfound gql-denied gql-error, slow-<ms>, truncated, cutoff, huge,
huge-chunked, empty ({}), nodata ({"data": null}), html.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as dt
import gzip
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from graphql import (
    FieldNode,
    build_schema,
    validate,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    FragmentDefinitionNode,
    SelectionSetNode,
    parse,
    value_from_ast_untyped,
)
from graphql.validation import (
    KnownFragmentNamesRule,
    LoneAnonymousOperationRule,
    NoFragmentCyclesRule,
    NoUndefinedVariablesRule,
    NoUnusedFragmentsRule,
    NoUnusedVariablesRule,
    UniqueFragmentNamesRule,
    UniqueOperationNamesRule,
    UniqueVariableNamesRule,
)

# The W&B schema is not public, so only the validation rules that need no schema run:
# a spec-compliant server rejects an unused fragment or an undefined variable, and so
# does the stand-in.
_NO_SCHEMA = build_schema("type Query { _unused: Int }")
_DOCUMENT_RULES = [
    KnownFragmentNamesRule, LoneAnonymousOperationRule, NoFragmentCyclesRule,
    NoUndefinedVariablesRule, NoUnusedFragmentsRule, NoUnusedVariablesRule,
    UniqueFragmentNamesRule, UniqueOperationNamesRule, UniqueVariableNamesRule,
]

# Abstract GraphQL types a concrete __typename satisfies in type conditions.
ABSTRACT = {
    "ArtifactSequence": {"ArtifactCollection"},
    "ArtifactPortfolio": {"ArtifactCollection"},
    "Run": {"Initiator", "Node"},
    "User": {"Initiator", "Node"},
}


class QueryError(Exception):
    """A request the stand-in answers with a GraphQL `errors` entry."""


# ---------------------------------------------------------------- filters


def _parse_time(text):
    value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value.replace(tzinfo=None) if value.tzinfo is None else (
        value.astimezone(dt.timezone.utc).replace(tzinfo=None))


def _json_field(run, field):
    raw = run.get(field)
    return json.loads(raw) if isinstance(raw, str) else (raw or {})


def _run_value(run, key):
    """The run value a Mongo-style filter or order key addresses."""
    simple = {
        "name": "name", "state": "state", "tags": "tags", "group": "group",
        "createdAt": "createdAt", "created_at": "createdAt",
        "heartbeatAt": "heartbeatAt", "heartbeat_at": "heartbeatAt",
        "displayName": "displayName", "display_name": "displayName",
        "jobType": "jobType", "job_type": "jobType",
    }
    if key in simple:
        value = run.get(simple[key])
        if simple[key] in ("createdAt", "heartbeatAt") and value is not None:
            return _parse_time(value)
        return value
    for prefix, field in (("config.", "config"), ("summary_metrics.", "summaryMetrics")):
        if key.startswith(prefix):
            value = _json_field(run, field)
            for part in key[len(prefix):].split("."):
                value = value.get(part) if isinstance(value, dict) else None
            return value
    raise QueryError(f"unsupported filter key: {key}")


def _coerce(sample, operand):
    if isinstance(sample, dt.datetime) and isinstance(operand, str):
        return _parse_time(operand)
    return operand


def _compare(value, op, operand):
    operand = _coerce(value, operand) if not isinstance(operand, list) else [
        _coerce(value, o) for o in operand]
    if op == "$eq":
        return value == operand or (isinstance(value, list) and operand in value)
    if op == "$ne":
        return value != operand
    if op == "$in":
        if isinstance(value, list):
            return any(v in operand for v in value)
        return value in operand
    if op == "$nin":
        return not _compare(value, "$in", operand)
    if op == "$exists":
        return (value is not None) == bool(operand)
    if op == "$regex":
        return isinstance(value, str) and re.search(operand, value) is not None
    if value is None:
        return False
    try:
        return {"$gt": value > operand, "$gte": value >= operand,
                "$lt": value < operand, "$lte": value <= operand}[op]
    except KeyError:
        raise QueryError(f"unsupported filter operator: {op}") from None
    except TypeError:
        return False


def matches(run, flt):
    if not flt:
        return True
    for key, cond in flt.items():
        if key == "$and":
            ok = all(matches(run, c) for c in cond)
        elif key == "$or":
            ok = any(matches(run, c) for c in cond)
        elif key == "$nor":
            ok = not any(matches(run, c) for c in cond)
        elif isinstance(cond, dict) and cond and all(k.startswith("$") for k in cond):
            value = _run_value(run, key)
            ok = all(_compare(value, op, operand) for op, operand in cond.items())
        else:
            ok = _compare(_run_value(run, key), "$eq", cond)
        if not ok:
            return False
    return True


def _filters(args):
    raw = args.get("filters")
    if raw in (None, ""):
        return {}
    try:
        flt = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as err:
        raise QueryError(f"filters is not valid JSON: {err}") from None
    if not isinstance(flt, dict):
        raise QueryError("filters must be a JSON object")
    return flt


# ---------------------------------------------------------------- connections

def _cursor(index):
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def connection(items, args, edge_extra=None):
    start = 0
    after = args.get("after")
    if after:
        try:
            start = int(base64.b64decode(after).decode().split(":", 1)[1]) + 1
        except (ValueError, IndexError, UnicodeDecodeError):
            raise QueryError(f"invalid cursor: {after}") from None
    first = args.get("first")
    if first is not None and first < 0:
        raise QueryError("first must be non-negative")
    end = len(items) if first is None else min(len(items), start + first)
    edges = []
    for i in range(start, end):
        edge = {"__typename": "Edge", "cursor": _cursor(i), "node": items[i]}
        if edge_extra:
            edge.update(edge_extra(items[i]))
        edges.append(edge)
    return {
        "__typename": "Connection",
        "totalCount": len(items),
        "edges": edges,
        "pageInfo": {
            "__typename": "PageInfo",
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
        },
    }


# ---------------------------------------------------------------- resolvers

def _project_runs(world, project):
    key = f"{project['entityName']}/{project['name']}"
    return [r for r in world["runs"].values() if r.get("_project") == key]


def _sorted_runs(runs, order):
    order = order or "-created_at"
    descending = order.startswith("-")
    key = order.lstrip("+-")

    def sort_key(run):
        value = _run_value(run, key)
        return (value is None, value if value is not None else 0, run["name"])
    return sorted(runs, key=sort_key, reverse=descending)


def q_project(world, _parent, args):
    return world["projects"].get(f"{args.get('entityName')}/{args.get('name')}")


def p_runs(world, project, args):
    flt = _filters(args)
    runs = [r for r in _project_runs(world, project) if matches(r, flt)]
    return connection(_sorted_runs(runs, args.get("order")), args)


def p_run_count(world, project, args):
    flt = _filters(args)
    return sum(1 for r in _project_runs(world, project) if matches(r, flt))


def p_run(world, project, args):
    run = world["runs"].get(args.get("name"))
    key = f"{project['entityName']}/{project['name']}"
    return run if run and run.get("_project") == key else None


def p_membership_by_name(world, project, args):
    name, _, alias = str(args.get("name", "")).partition(":")
    alias = alias or "latest"
    key = f"{project['entityName']}/{project['name']}/{name}"
    for artifact in world["artifacts"].values():
        for m in artifact["_memberships"]:
            if m["artifactCollection"]["$ref"] != f"collections:{key}":
                continue
            names = {a["alias"] for a in m["aliases"]} | {f"v{m['versionIndex']}"}
            if alias in names:
                return dict(m, artifact=artifact)
    return None


def r_project(world, run, _args):
    return world["projects"].get(run["_project"])


def r_artifacts(field):
    def resolve(world, run, args):
        items = [world["artifacts"][i] for i in run[field]]
        return connection(items, args)
    return resolve


def a_used_by(world, artifact, args):
    runs = [r for r in world["runs"].values() if artifact["id"] in r["_inputs"]]
    return connection(sorted(runs, key=lambda r: r["createdAt"]), args)


def a_created_by(world, artifact, _args):
    for run in world["runs"].values():
        if artifact["id"] in run["_outputs"]:
            return run
    return None


def a_memberships(_world, artifact, args):
    return connection(artifact["_memberships"], args)


RESOLVERS = {
    ("Query", "project"): q_project,
    ("Query", "artifact"): lambda w, _p, a: w["artifacts"].get(a.get("id")),
    ("Query", "viewer"): lambda w, _p, _a: w["viewer"],
    ("Query", "serverInfo"): lambda w, _p, _a: w["serverInfo"],
    ("Project", "runs"): p_runs,
    ("Project", "runCount"): p_run_count,
    ("Project", "run"): p_run,
    ("Project", "artifactCollectionMembership"): p_membership_by_name,
    ("Run", "project"): r_project,
    ("Run", "inputArtifacts"): r_artifacts("_inputs"),
    ("Run", "outputArtifacts"): r_artifacts("_outputs"),
    ("Artifact", "usedBy"): a_used_by,
    ("Artifact", "createdBy"): a_created_by,
    ("Artifact", "artifactMemberships"): a_memberships,
}


# ---------------------------------------------------------------- executor

class Executor:
    def __init__(self, world, document, variables, operation_name):
        self.world = world
        self.missing = []
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        if operation_name:
            ops = [o for o in ops if o.name and o.name.value == operation_name]
        if len(ops) != 1:
            raise QueryError("the document must hold exactly one operation "
                             "(or name one with operationName)")
        self.operation = ops[0]
        if self.operation.operation.value != "query":
            raise QueryError("only queries are served")
        self.vars = {}
        for definition in self.operation.variable_definitions or []:
            name = definition.variable.name.value
            if name in (variables or {}):
                self.vars[name] = variables[name]
            elif definition.default_value is not None:
                self.vars[name] = value_from_ast_untyped(definition.default_value)
            else:
                self.vars[name] = None

    @property
    def name(self):
        return self.operation.name.value if self.operation.name else ""

    def run(self):
        return self.select({"__typename": "Query"}, self.operation.selection_set, "")

    def _included(self, node):
        for directive in node.directives or []:
            if directive.name.value not in ("include", "skip"):
                continue
            arg = next((a for a in directive.arguments if a.name.value == "if"), None)
            cond = bool(value_from_ast_untyped(arg.value, self.vars)) if arg else True
            if (directive.name.value == "include") != cond:
                return False
        return True

    def _applies(self, condition, typename):
        if condition is None:
            return True
        wanted = condition.name.value
        return wanted == typename or wanted in ABSTRACT.get(typename, set())

    def collect(self, selection_set, typename, out):
        """Response key -> field nodes, with fragments flattened."""
        for node in selection_set.selections:
            if not self._included(node):
                continue
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias else node.name.value
                out.setdefault(key, []).append(node)
            elif isinstance(node, InlineFragmentNode):
                if self._applies(node.type_condition, typename):
                    self.collect(node.selection_set, typename, out)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is None:
                    raise QueryError(f"unknown fragment {node.name.value}")
                if self._applies(fragment.type_condition, typename):
                    self.collect(fragment.selection_set, typename, out)
        return out

    def select(self, obj, selection_set, path):
        obj = self.deref(obj)
        typename = obj.get("__typename", "")
        result = {}
        for key, nodes in self.collect(selection_set, typename, {}).items():
            first = nodes[0]
            subs = [s for n in nodes if n.selection_set for s in n.selection_set.selections]
            merged = SelectionSetNode(selections=tuple(subs)) if subs else None
            result[key] = self.field(obj, typename, first, merged, f"{path}/{key}")
        return result

    def field(self, obj, typename, node, selection, path):
        name = node.name.value
        if name == "__typename":
            return typename
        args = {a.name.value: value_from_ast_untyped(a.value, self.vars)
                for a in node.arguments or []}
        resolver = RESOLVERS.get((typename, name))
        if resolver is not None:
            value = resolver(self.world, obj, args)
        elif name in obj and not name.startswith("_"):
            value = obj[name]
        else:
            self.missing.append(f"{typename}.{name} at {path}")
            value = None
        return self.complete(value, selection, path)

    def deref(self, value):
        if isinstance(value, dict) and set(value) == {"$ref"}:
            kind, _, key = value["$ref"].partition(":")
            return self.world[kind][key]
        return value

    def complete(self, value, selection, path):
        value = self.deref(value)
        if value is None:
            return None
        if isinstance(value, list):
            return [self.complete(v, selection, f"{path}[{i}]") for i, v in enumerate(value)]
        if selection is None:
            return value
        if not isinstance(value, dict):
            self.missing.append(f"scalar with a selection at {path}")
            return None
        return self.select(value, selection, path)


# ---------------------------------------------------------------- worlds

class State:
    def __init__(self, world, api_key, log_path):
        self.base = world
        self.worlds = {}
        self.api_key = api_key
        self.counters = {}
        self.requests = []
        self.lock = threading.Lock()
        self.log_path = log_path

    def world(self, tag):
        if tag is None:
            return self.base
        with self.lock:
            if tag not in self.worlds:
                self.worlds[tag] = copy.deepcopy(self.base)
            return self.worlds[tag]

    def count(self, spec):
        with self.lock:
            self.counters[spec] = self.counters.get(spec, 0) + 1
            return self.counters[spec]

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)
            del self.requests[:-2000]
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as log:
                    log.write(json.dumps(entry) + "\n")


def apply_control(world, command):
    """Mutations for incremental tests: add a run, change a run's fields."""
    if "add_run" in command:
        run = dict(command["add_run"])
        base = next(iter(world["runs"].values()))
        for key, value in base.items():
            run.setdefault(key, copy.deepcopy(value) if key.startswith("_") else None)
        run.setdefault("__typename", "Run")
        world["runs"][run["name"]] = run
    if "update_run" in command:
        update = command["update_run"]
        world["runs"][update["name"]].update(update.get("fields", {}))
    return {"runs": sorted(world["runs"])}


PATH_RE = re.compile(r"^(?:/world/(?P<world>[\w.-]+))?(?:/fault/(?P<fault>[\w.-]+))?"
                     r"/(?P<endpoint>graphql|control)/?$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wandb-standin/1"
    state: State = None  # set in main()

    def log_message(self, fmt, *args):  # keep stderr quiet; requests are recorded
        pass

    def send_json(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_bytes(status, body, "application/json", headers)

    def send_bytes(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/healthz":
            self.send_bytes(200, b"ok", "text/plain")
        elif self.path == "/_standin/requests":
            with self.state.lock:
                self.send_json(200, list(self.state.requests))
        else:
            self.send_json(404, {"error": "not found"})

    def _authorised(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, key = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return user == "api" and key == self.state.api_key

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return json.loads(raw or b"{}")

    def do_POST(self):
        match = PATH_RE.match(self.path.split("?", 1)[0])
        if not match:
            self.send_json(404, {"error": f"no route {self.path}"})
            return
        try:
            body = self._body()
        except (ValueError, OSError):
            self.send_json(400, {"errors": [{"message": "body is not JSON"}]})
            return
        if not self._authorised():
            self.send_json(401, {"errors": [{"message": "user is not logged in"}]},
                           {"WWW-Authenticate": 'Basic realm="wandb"'})
            return
        world = self.state.world(match["world"])
        if match["endpoint"] == "control":
            with self.state.lock:
                self.send_json(200, apply_control(world, body))
            return
        fault = match["fault"] or self.headers.get("X-Standin-Fault")
        if fault and self.fault(fault):
            self.state.record({"path": self.path, "fault": fault})
            return
        self.graphql(world, body)

    def graphql(self, world, body):
        entry = {"path": self.path, "operation": None, "variables": body.get("variables"),
                 "agent": self.headers.get("User-Agent", ""), "missing": [], "errors": []}
        try:
            document = parse(body.get("query") or "")
            problems = validate(_NO_SCHEMA, document, _DOCUMENT_RULES)
            if problems:
                raise QueryError("; ".join(p.message for p in problems))
            executor = Executor(world, document, body.get("variables") or {},
                                body.get("operationName") or None)
            entry["operation"] = executor.name
            with self.state.lock:
                data = executor.run()
            entry["missing"] = executor.missing
            self.send_json(200, {"data": data})
        except (QueryError, GraphQLError) as err:
            entry["errors"].append(str(err))
            self.send_json(200, {"data": None, "errors": [{"message": str(err)}]})
        self.state.record(entry)

    def fault(self, spec):
        """Misbehaves as `spec` says; returns False when the request should be served."""
        counted = re.fullmatch(r"(\d{3})x(\d+)-[\w.-]+", spec)
        if counted:
            if self.state.count(spec) > int(counted[2]):
                return False
            spec = counted[1]
        if spec == "429":
            self.send_json(429, {"errors": [{"message": "rate limit exceeded"}]},
                           {"Retry-After": "1", "RateLimit-Reset": "1",
                            "RateLimit-Remaining": "0", "RateLimit-Limit": "1000"})
        elif spec in ("401", "403", "404", "500", "502", "503"):
            self.send_json(int(spec), {"errors": [{"message": f"standin fault {spec}"}]})
        elif spec == "gql-notfound":
            self.send_json(200, {"data": {"project": None}, "errors": [
                {"message": "project not found", "path": ["project"]}]})
        elif spec == "gql-denied":
            self.send_json(200, {"data": None, "errors": [
                {"message": "permission denied: you do not have access to this project"}]})
        elif spec == "gql-error":
            self.send_json(200, {"data": None, "errors": [
                {"message": 'Cannot query field "nonsense" on type "Run".'}]})
        elif spec.startswith("slow-"):
            time.sleep(int(spec[5:]) / 1000)
            return False
        elif spec == "truncated":
            self.send_bytes(200, b'{"data": {"project": {"runCount": 4, "runs": {"edg',
                            "application/json")
        elif spec == "cutoff":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "4096")
            self.end_headers()
            self.wfile.write(b'{"data": {"project": ')
            self.wfile.flush()
            self.close_connection = True
        elif spec in ("huge", "huge-chunked"):
            self.huge(chunked=spec == "huge-chunked")
        elif spec == "empty":
            self.send_json(200, {})
        elif spec == "nodata":
            self.send_json(200, {"data": None})
        elif spec == "html":
            self.send_bytes(200, b"<html><body>Sign in</body></html>", "text/html")
        else:
            self.send_json(400, {"errors": [{"message": f"unknown fault {spec}"}]})
        return True

    def huge(self, chunked):
        """A 64 MiB JSON body, written lazily so a client that stops reading stops it."""
        chunk = b"x" * (1 << 20)
        head, tail = b'{"data": {"pad": "', b'"}}'
        total = len(head) + 64 * len(chunk) + len(tail)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        self.close_connection = True
        try:
            for part in [head] + [chunk] * 64 + [tail]:
                if chunked:
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                else:
                    self.wfile.write(part)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", required=True, help="fixture world JSON")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", required=True, help="the accepted key (user 'api')")
    parser.add_argument("--log", help="append one JSON line per request here")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    args = parser.parse_args()
    with open(args.world, encoding="utf-8") as f:
        world = json.load(f)
    Handler.state = State(world, args.api_key, args.log)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as f:
            f.write(str(port))
    print(f"wandb stand-in listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
