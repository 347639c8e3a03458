#!/usr/bin/env python3
"""Scores a Spark DataFrame of leads and one of events with Funnel, on every executor.

    python Examples/spark/score_leads.py [--leads FILE.jsonl] [--model MODEL.json]
                                         [--as-of TIME] [--out DIR] [--master local[2]]
    python Examples/spark/score_leads.py --leads-table leads.parquet --events-table events.parquet ...

Leads are one row per lead (an `id` column and a column per model attribute);
events one row per event (`lead`, `type`, `at` as a timestamp or seconds, and
property columns such as `minutes`). Where they come from:
  - by default, Examples/leads.jsonl (SPEC §6 documents), turned into those two
    DataFrames on the driver, as a CRM export would be;
  - with --leads-table/--events-table, two Parquet tables (a data lake).

How it runs: each lead's events are gathered next to it (a join on the lead id
and `collect_list`, so a lead and its events always meet in the same Arrow
batch), then `mapInArrow` hands every executor's Arrow batches to
`Model.score_arrow` — the batches go to libfunnel through the Arrow C Data
Interface, without a copy in Python — and the scores (id, fit, behavior,
total, grade) come back as Arrow and are written as Parquet to --out.

Every executor needs the funnel package (with its libfunnel.so) and pyarrow:
here, in local mode, the repository's bindings/python is put on PYTHONPATH;
on a cluster, ship the wheel (see the README, "Spark"). The model travels as
JSON text inside the task and is loaded once per Python worker.

Requires pyspark (`pip install pyspark pyarrow`) and Java 17.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _find_funnel():
    """Imports funnel, from the installed package or else from this repository."""
    try:
        import funnel  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.path.join(REPO, "bindings", "python"))
        import funnel  # noqa: F401
    return sys.modules["funnel"]


SCORES_SCHEMA = "id string, fit double, behavior double, total double, grade string"


def score_batches(model_json, as_of, event_fields, unknown_columns="error"):
    """The mapInArrow function: record batches of leads, each with its events in
    an `events` list column, to record batches of scores."""

    def run(batches):
        import pyarrow as pa
        import pyarrow.compute as pc

        funnel = _find_funnel()
        model = _worker_model(funnel, model_json)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            nested = batch.column(batch.schema.get_field_index("events"))
            flat = pc.list_flatten(nested)
            parents = pc.list_parent_indices(nested)
            ids = batch.column(batch.schema.get_field_index("id"))
            events = pa.RecordBatch.from_struct_array(flat)
            events = pa.RecordBatch.from_arrays(
                [pc.take(ids, parents)] + [events.column(events.schema.get_field_index(f)) for f in event_fields],
                names=["lead"] + list(event_fields))
            leads = batch.drop_columns(["events"])
            scores = model.score_arrow(leads, events, as_of=as_of, unknown_columns=unknown_columns)
            yield pa.record_batch(scores)

    return run


_MODELS = {}


def _worker_model(funnel, model_json):
    """One loaded model per Python worker (workers are reused across tasks)."""
    model = _MODELS.get(model_json)
    if model is None:
        model = funnel.Model.default() if model_json is None else funnel.Model.load(model_json)
        _MODELS[model_json] = model
    return model


def frames_from_jsonl(spark, path, model):
    """Leads (SPEC §6 JSON Lines) as two DataFrames: leads and events."""
    import pyarrow as pa

    funnel = _find_funnel()
    kinds = dict(model.attributes)
    types = {"number": pa.float64(), "bool": pa.bool_(), "string": pa.string(), "strings": pa.list_(pa.string())}
    leads, events = {"id": []}, {"seq": [], "lead": [], "type": [], "at": [], "minutes": []}
    leads.update({name: [] for name in kinds})
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            leads["id"].append(doc["id"])
            attributes = doc.get("attributes") or {}
            for name in kinds:
                leads[name].append(attributes.get(name))
            for e in doc.get("events") or ():
                events["seq"].append(len(events["seq"]))
                events["lead"].append(doc["id"])
                events["type"].append(e["type"])
                events["at"].append(int(round(funnel.to_epoch(e["at"]) * 1_000_000)))
                events["minutes"].append((e.get("props") or {}).get("minutes"))
    lead_table = pa.table({name: pa.array(values, pa.string() if name == "id" else types[kinds[name]])
                           for name, values in leads.items()})
    event_table = pa.table({
        "seq": pa.array(events["seq"], pa.int64()), "lead": pa.array(events["lead"], pa.string()),
        "type": pa.array(events["type"], pa.string()), "at": pa.array(events["at"], pa.timestamp("us", tz="UTC")),
        "minutes": pa.array(events["minutes"], pa.float64())})
    return spark.createDataFrame(lead_table), spark.createDataFrame(event_table)


def score(spark, leads, events, model_json, as_of, unknown_columns="error"):
    """The scores DataFrame of `leads` with `events` (both Spark DataFrames).
    Columns the model does not know fail the job unless `unknown_columns` is
    "ignore" (a lake table's other columns: email, campaign...)."""
    from pyspark.sql import functions as F

    # Each lead's events as one list next to it, in a fixed order: `seq` when the
    # source has one (the order of the lead document, so the numbers match the CLI
    # to the last bit), else time.
    order = "seq" if "seq" in events.columns else "at"
    fields = [order] + [c for c in events.columns if c not in ("lead", order)]
    packed = (events.groupBy("lead")
              .agg(F.array_sort(F.collect_list(F.struct(*fields))).alias("events"))
              .withColumnRenamed("lead", "id"))
    joined = leads.join(packed, on="id", how="left")
    # A lead without events gets an empty list (a null list would also do).
    joined = joined.withColumn("events", F.coalesce("events", F.array().cast(packed.schema["events"].dataType)))
    run = score_batches(model_json, as_of, [f for f in fields if f != "seq"], unknown_columns)
    return joined.mapInArrow(run, SCORES_SCHEMA)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leads", default=os.path.join(REPO, "Examples", "leads.jsonl"),
                    help="leads as JSON Lines (default: Examples/leads.jsonl)")
    ap.add_argument("--leads-table", help="a Parquet table of leads (id and attribute columns)")
    ap.add_argument("--events-table", help="a Parquet table of events (lead, type, at, properties)")
    ap.add_argument("--model", help="the model document (default: the embedded default model)")
    ap.add_argument("--as-of", default="2026-12-01T00:00:00Z", help="RFC 3339 text or seconds (default 2026-12-01)")
    ap.add_argument("--out", default=os.path.join(REPO, ".build", "spark-scores"), help="Parquet output directory")
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args(argv)

    funnel = _find_funnel()
    # Workers run this interpreter (with its packages) and find the funnel package.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(funnel.__file__)))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (package_dir, os.environ.get("PYTHONPATH")) if p)
    if getattr(funnel, "library_path", None):
        os.environ.setdefault("FUNNEL_LIBRARY", os.path.abspath(funnel.library_path))

    model_json = None  # None: the embedded default model, on the executors too
    if args.model:
        with open(args.model, encoding="utf-8") as f:
            model_json = f.read()
    model = funnel.Model.default() if model_json is None else funnel.Model.load(model_json)
    as_of = funnel.to_epoch(args.as_of)

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(args.master).appName("funnel-score-leads")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.ui.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        if args.leads_table:
            leads = spark.read.parquet(args.leads_table)
            events = spark.read.parquet(args.events_table) if args.events_table else None
        else:
            leads, events = frames_from_jsonl(spark, args.leads, model)
        if events is None:
            events = spark.createDataFrame([], "lead string, type string, at timestamp")
        # Tables from a lake carry other columns too: skip those the model does not know.
        scores = score(spark, leads, events, model_json, as_of,
                       unknown_columns="ignore" if args.leads_table else "error")
        scores.write.mode("overwrite").parquet(args.out)
        written = spark.read.parquet(args.out)
        print("scored %d leads into %s" % (written.count(), args.out))
        written.orderBy("total", ascending=False).show(5, truncate=False)
    finally:
        spark.stop()
        model.close()


if __name__ == "__main__":
    main()
