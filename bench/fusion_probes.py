"""How many results the site's default fusion shows for nonsense and edge-case queries over the arXiv corpus:

    PAPERFEED_DATA_DIR=... python bench/arxiv_dev_corpus.py      # once: the corpus and its cached vectors
    PAPERFEED_DATA_DIR=... python bench/fusion_probes.py

prints, per probe, the results above the floor (SEARCH_MIN_SCORE), the best score and whether the combiner
trusted the words. Ranks through hybrid.rank with the shipped defaults, as the search page does.
"""

from __future__ import annotations

from common import ROOT, setup_django

PROBES = ("xyzzyplugh", "blorptastic frobnication", "the of and", "asdf qwer zxcv", "lorem ipsum dolor", "sheet music")


def main() -> None:
    setup_django("pf-fusion-probes-")
    from paperfeed.search import eval as ev
    from paperfeed.search.filters import SearchFilters
    from paperfeed.search.fusion import FusionParams, evidence, words_help
    from paperfeed.search.hybrid import query_embedder, rank
    from paperfeed.search.text_index import query_tokens

    data = ev.load_beir(ROOT / "bench" / "arxiv_dev", "dev")
    embedder = query_embedder()
    vectors = ev.corpus_vectors(data, embedder)
    text_index, vector_index = ev.build_text_index(data), ev.build_vector_index(vectors)
    params = FusionParams()
    qvecs = embedder.encode_queries(list(PROBES))
    for probe, qvec in zip(PROBES, qvecs):
        parsed = ev.beir_query(probe)
        ranked = rank(
            parsed,
            text_index=text_index,
            vector_index=vector_index,
            query_vector=qvec,
            filters=SearchFilters(),
            params=params,
        )
        trusted = "-"
        if ranked.keyword and ranked.dense:
            cosines = [float(vectors[pk] @ qvec) for pk, _ in ranked.keyword[:5]]
            terms = len(query_tokens(parsed.all_words))
            ev_ = evidence(ranked.keyword, ranked.dense, text_index.bm25_ceiling(parsed), cosines, terms)
            trusted = "words" if words_help(ev_) else "meaning first"
        best = ranked.fused[0][1] if ranked.fused else 0.0
        print(f"{probe!r:28} {len(ranked.fused):5} results above {params.min_score}  best {best:.2f}  {trusted}")


if __name__ == "__main__":
    main()
