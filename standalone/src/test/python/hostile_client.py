#!/usr/bin/python3
"""A Kafka producer that is not Java's: librdkafka, through Debian's python3-confluent-kafka.

It writes what Java's producer refuses to make (negative timestamps, any partition for a key, any bytes),
for tokenpool's hostile-input tests.

  hostile_client.py records BOOTSTRAP          JSON lines on stdin, one record each:
      {"topic": "t", "partition": 0|null, "key": b64|null, "value": b64|null, "timestamp": ms|null,
       "headers": [["name", b64|null], ...]}
  hostile_client.py fuzz BOOTSTRAP SEED COUNT COMMANDS PROJECTS REPLIES REPLY_TO PROTECTED...
      COUNT random and mutated records spread over the three topics; records keyed by a PROTECTED project ID
      never carry a valid command or project record, so no protected pool or project may change.

Prints one JSON line: {"sent": n, "refused": n, "errors": {"broker error": n}}. The broker refuses some records
(a timestamp too far ahead, a record too large): those count as refused, not as failures of this script.
"""
import base64
import json
import random
import sys
import time

import confluent_kafka


def producer(bootstrap):
    return confluent_kafka.Producer({
        "bootstrap.servers": bootstrap,
        "message.max.bytes": 4_000_000,
        "linger.ms": 5,
        "enable.idempotence": False,
    })


def b64(text):
    return None if text is None else base64.b64decode(text)


def send(records, bootstrap):
    p = producer(bootstrap)
    outcome = {"sent": 0, "refused": 0, "errors": {}}

    def delivered(err, msg):
        if err is None:
            outcome["sent"] += 1
        else:
            outcome["refused"] += 1
            outcome["errors"][err.str()] = outcome["errors"].get(err.str(), 0) + 1

    # The broker refuses a whole batch for one record it refuses (a timestamp more than an hour ahead, a record too
    # large): such records go in a batch of their own, so the others get through.
    ahead = time.time() * 1000 + 3_000_000
    for r in records:
        alone = (r.get("timestamp") or 0) > ahead or len(r.get("key") or b"") + len(r.get("value") or b"") > 500_000
        if alone:
            p.flush(60)
        kwargs = {"key": r.get("key"), "value": r.get("value"), "on_delivery": delivered}
        if r.get("partition") is not None:
            kwargs["partition"] = r["partition"]
        if r.get("timestamp") is not None:
            kwargs["timestamp"] = r["timestamp"]
        if r.get("headers"):
            kwargs["headers"] = [(name, value) for name, value in r["headers"]]
        while True:
            try:
                p.produce(r["topic"], **kwargs)
                break
            except BufferError:
                p.poll(0.1)
            except (confluent_kafka.KafkaException, ValueError, TypeError) as e:
                outcome["refused"] += 1
                outcome["errors"][str(e)] = outcome["errors"].get(str(e), 0) + 1
                break
        if alone:
            p.flush(60)
        p.poll(0)
    p.flush(60)
    return outcome


def fuzz(seed, count, commands, projects, replies, reply_to, protected):
    rnd = random.Random(seed)
    now = 1_700_000_000_000
    command_types = ["add_tokens", "delete_tokens", "delete_by_order", "get_token", "use_token", "list_tokens",
                     "count_tokens", "drop_pool", "", None, 7]

    def text(n):
        return "".join(rnd.choice("abcXYZ019._- \t\n\u00e9\u4e2d\U0001F600\u0000\"\\{}[]") for _ in range(n))

    def junk_bytes(n):
        return bytes(rnd.getrandbits(8) for _ in range(n))

    def nested(depth):
        return ("[" * depth + "]" * depth) if rnd.random() < 0.5 else ('{"a":' * depth + "1" + "}" * depth)

    def some_value():
        return rnd.choice([None, 0, -1, 2**63, 1e308, "", text(10), [], {}, [text(9)] * rnd.randint(0, 600), True])

    def command(valid):
        c = {"version": 1, "type": rnd.choice(["add_tokens", "delete_tokens", "count_tokens", "list_tokens"]),
             "correlationId": "fuzz-%d" % rnd.getrandbits(32), "replyTo": reply_to}
        if c["type"] in ("add_tokens", "delete_tokens"):
            c["tokenId"] = ["fuzztoken-%06d" % rnd.randint(0, 999_999) for _ in range(rnd.randint(1, 5))]
        if valid:
            return c
        broken = rnd.choice(["version", "type", "field", "replyTo", "correlationId", "actor", "extra"])
        if broken == "version":
            c["version"] = rnd.choice([0, 2, "1", None, 1.5, -1])
        elif broken == "type":
            c["type"] = rnd.choice(command_types[7:])
        elif broken == "field":
            c["tokenId"] = some_value() if c["type"] in ("add_tokens", "delete_tokens") else None
            c["count"] = some_value()
        elif broken == "replyTo":
            c["replyTo"] = rnd.choice(["", None, 5, "__consumer_offsets", commands, projects, "x" * 300, "a b"])
        elif broken == "correlationId":
            c["correlationId"] = rnd.choice(["", None, 5, "x" * 200, []])
        elif broken == "actor":
            c["actor"] = rnd.choice(["", 5, "y" * 200, {}])
        else:
            c[text(5)] = some_value()
            c["type"] = "drop_pool"
        return c

    def command_value(key_protected):
        kind = rnd.choice(["empty", "bytes", "utf8", "nested", "json-array", "truncated", "command", "huge"])
        if kind == "empty":
            return b""
        if kind == "bytes":
            return junk_bytes(rnd.randint(1, 2000))
        if kind == "utf8":
            return b"{\"version\":1,\"type\":\"add_tokens\",\"correlationId\":\"\xff\xfe\",\"replyTo\":\"" + \
                reply_to.encode() + b"\",\"tokenId\":[\"\xc3\x28abcdefgh\"]}"
        if kind == "nested":
            return nested(rnd.choice([10, 33, 1000, 50_000])).encode()
        if kind == "json-array":
            return json.dumps([command(True)]).encode()
        if kind == "truncated":
            whole = json.dumps(command(True)).encode()
            return whole[: rnd.randint(1, len(whole) - 1)]
        if kind == "huge":
            return json.dumps({"version": 1, "type": "add_tokens", "correlationId": "fuzz-huge", "replyTo": reply_to,
                               "tokenId": ["x" * 1000] * 900}).encode()
        return json.dumps(command(valid=not key_protected and rnd.random() < 0.5)).encode()

    def project_value(key, key_protected):
        kind = rnd.choice(["tombstone", "bytes", "nested", "fields", "project"])
        if kind == "tombstone" and not key_protected:
            return None
        if kind in ("bytes", "tombstone"):
            return junk_bytes(rnd.randint(0, 500))
        if kind == "nested":
            return nested(rnd.choice([40, 1000])).encode()
        record = {"version": 1, "projectId": key if rnd.random() < 0.7 else text(8), "name": text(5),
                  "poolLimit": rnd.choice([1, 10, 0, -5, "many", None, 2**70])}
        for field in rnd.sample(["apiKeyHash", "secureTransmission", "expiration", "volumeDeletion",
                                 "deleteOnExpiration", "sealedSecretKey"], rnd.randint(0, 3)):
            record[field] = some_value()
        if key_protected:
            record["poolLimit"] = "not a number"  # never a valid record for a project the test protects
        if kind == "project" and not key_protected:
            record = {"version": 1, "projectId": key, "name": "fuzz", "poolLimit": rnd.randint(1, 10)}
        return json.dumps(record).encode()

    def reply_value():
        kind = rnd.choice(["bytes", "no-id", "status", "body", "nested"])
        if kind == "bytes":
            return junk_bytes(rnd.randint(0, 300))
        if kind == "nested":
            return nested(rnd.choice([40, 2000])).encode()
        result = {"version": 1, "correlationId": "fuzz-%d" % rnd.getrandbits(32), "replyTo": replies,
                  "status": rnd.choice([200, 0, -1, 999, "200", None]), "body": some_value()}
        if kind == "no-id":
            del result["correlationId"]
        return json.dumps(result).encode()

    def key():
        choice = rnd.random()
        if choice < 0.1:
            return None
        if choice < 0.15:
            return b""
        if choice < 0.18:
            return b"k" * rnd.choice([1_000, 1_000_000])
        if choice < 0.25:
            return junk_bytes(rnd.randint(1, 40))
        if choice < 0.5 and protected:
            return rnd.choice(protected).encode()
        return ("fuzz-%d" % rnd.randint(0, 50)).encode()

    def timestamp():
        return rnd.choice([None, None, -1, -rnd.randint(2, 10**12), 1, now, now + 10**12, 253402300799999])

    def headers():
        if rnd.random() < 0.7:
            return None
        return [(text(rnd.randint(0, 20)), junk_bytes(rnd.randint(0, 200)) if rnd.random() < 0.9 else None)
                for _ in range(rnd.randint(1, 10))]

    for _ in range(count):
        topic = rnd.choice([commands, commands, projects, replies])
        k = key()
        protected_key = k is not None and k.decode("utf-8", "replace") in protected
        if topic == commands:
            value = command_value(protected_key)
        elif topic == projects:
            value = project_value(k.decode("utf-8", "replace") if k else "", protected_key or k is None)
        else:
            value = reply_value()
        yield {"topic": topic, "key": k, "value": value, "timestamp": timestamp(), "headers": headers(),
               "partition": None}


def main(args):
    if len(args) >= 2 and args[0] == "records":
        records = []
        for line in sys.stdin:
            if line.strip():
                r = json.loads(line)
                r["key"], r["value"] = b64(r.get("key")), b64(r.get("value"))
                r["headers"] = [(name, b64(value)) for name, value in (r.get("headers") or [])]
                records.append(r)
        print(json.dumps(send(records, args[1])))
        return 0
    if len(args) >= 8 and args[0] == "fuzz":
        _, bootstrap, seed, count, commands, projects, replies, reply_to, *protected = args
        print(json.dumps(send(fuzz(int(seed), int(count), commands, projects, replies, reply_to, protected), bootstrap)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
