"""Tokenise and extract of one part: handed to the workers at once (`submit_nlp`), each batch's
extract right behind its tokenise, and judged when their answers are in (`judge_nlp`), each
stage at its gate (flows/run.py)."""

from __future__ import annotations

import time

import pyarrow as pa

from vnnews.flows import steps
from vnnews.flows.part import Part
from vnnews.flows.run import Run, batches
from vnnews.flows.runner import submit
from vnnews.tasks import tables
from vnnews.tasks.checks import gate


def submit_nlp(run: Run, part: Part, aside: bool) -> None:
    """Tokenise and then extract each batch of the part, on the workers; `aside`: in worker
    processes even with one worker, so that the flow can read on meanwhile."""
    if run.warming:  # the Dask runner connects once: in that thread, which must be done
        run.warming.join()
        run.warming = None
    part.handed = part.submitted = time.perf_counter()
    docs = batches(part.documents, run.settings.batch_size)
    tokenised = submit(steps.tokenise_batch, [(batch,) for batch in docs], run.settings, aside)
    calls = list(zip(docs, tokenised, strict=True))
    extracted = submit(steps.extract_batch, calls, run.settings, aside)
    part.futures = list(zip(docs, tokenised, extracted, strict=True))


def judge_nlp(run: Run, part: Part) -> set[str]:
    """Tokenise's and extract's answers for the part, each through its gate. Returns the
    documents they dropped."""
    dropped = _judge_tokenise(run, part)
    return dropped | _judge_extract(run, part, dropped)


def _judge_tokenise(run: Run, part: Part) -> set[str]:
    n_in, dropped = part.documents.num_rows, set()
    for i, (batch, tokenised, _) in enumerate(part.futures, 1):
        sents, toks, too_complex = tokenised.result()
        run.add_rejects(too_complex)
        part.tokenised.append((batch, sents, toks))
        dropped |= set(too_complex["doc_id"].to_pylist())
        run.progress("tokenise", part.number, i, len(part.futures), f"{sents.num_rows} sentences")
    part.drop(dropped)
    seconds = time.perf_counter() - part.submitted
    part.submitted = time.perf_counter()  # extract's clock starts when tokenise is in
    part.sentences = tables.concat([s for _, s, _ in part.tokenised], tables.SENTENCES)
    part.tokens = tables.concat([t for _, _, t in part.tokenised], tables.TOKENS)
    made = run.count("tokenise", sentences=part.sentences.num_rows, tokens=part.tokens.num_rows)
    data = {"documents": part.documents, "sentences": part.sentences, "tokens": part.tokens}
    counts = (n_in, part.documents.num_rows)
    quarantined = run.gate("tokenise", part.number, seconds, data, counts, made)
    part.drop(quarantined)
    return dropped | quarantined


def _judge_extract(run: Run, part: Part, gone: set[str]) -> set[str]:
    """Extract's answers less the documents tokenise dropped (they were extracted all the
    same, on the workers, before tokenise's gate had judged them)."""
    found: dict[str, list[pa.Table]] = {}
    n_in, dropped = part.documents.num_rows, set()
    for i, (_, _, extracted) in enumerate(part.futures, 1):
        mentions, too_complex = extracted.result()
        too_complex = gate.without(too_complex, "doc_id", gone)
        run.add_rejects(too_complex)
        for name, table in mentions.items():
            found.setdefault(name, []).append(gate.without(table, "doc_id", gone))
        dropped |= set(too_complex["doc_id"].to_pylist())
        entities = found["entities"][-1].num_rows
        run.progress("extract", part.number, i, len(part.futures), f"{entities} entities")
    run.summary.nlp.seconds += time.perf_counter() - part.handed
    run.summary.nlp.documents += sum(batch.num_rows for batch, *_ in part.futures)
    for _, *handed in part.futures:  # their boxes emptied (flows/boxed.py)
        for future in handed:
            future.release()
    part.futures, part.tokenised = [], []
    part.mentions = {name: pa.concat_tables(parts) for name, parts in found.items()}
    part.drop(dropped)
    seconds = time.perf_counter() - part.submitted
    made = run.count("extract", **{name: t.num_rows for name, t in part.mentions.items()})
    data = {"documents": part.documents, **part.mentions}
    counts = (n_in, part.documents.num_rows)
    quarantined = run.gate("extract", part.number, seconds, data, counts, made)
    part.drop(quarantined)
    return dropped | quarantined
