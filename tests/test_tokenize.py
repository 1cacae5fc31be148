"""tokenize.py: folding, the gram bag that guarantees recall, and jieba tokens through rjieba."""
from __future__ import annotations

import random

import jieba
import pytest

from notices import tokenize

from .conftest import SEED_FILES


def test_fold_makes_traditional_full_width_and_spaced_text_comparable():
    assert tokenize.fold("中國　巡視組 ＡＢＣ １２ 2023 年底") == "中国巡视组abc122023年底"
    assert tokenize.fold("公佈") == tokenize.fold("公布")
    assert tokenize.fold(None) == ""


def test_fold_many_folds_each_text_as_fold_does():
    from notices.parsing import parse_notice

    texts = []
    for path in SEED_FILES:
        parsed = parse_notice(path.read_bytes(), path.name)
        stack = list(parsed.issues)
        while stack:
            issue = stack.pop()
            texts += [issue.title, issue.category, *(m.text for m in issue.measures)]
            stack += issue.children
    assert len(texts) > 100
    assert tokenize.fold_many(texts) == [tokenize.fold(t) for t in texts]
    # 乾隆 is one phrase to OpenCC (乾 kept), 乾 alone becomes 干: no phrase spans two texts.
    tricky = ["乾", "隆", "", None, "Ａ", "\u0301", "頭髮 x", "a\x1fb", "ｶ", "ﾞ"]
    assert tokenize.fold_many(tricky) == [tokenize.fold(t) for t in tricky]
    assert tokenize.fold_many(tricky[:-3]) == [tokenize.fold(t) for t in tricky[:-3]]


_PAD = "整改落实情况，" * 40  # long enough for nfkc's array path


@pytest.mark.parametrize("text", [
    "（一）关于低保：资金、台账１２３ＡＢ　",  # one-for-one forms: the array path's own case
    "㈠⑴ﬁ㍿",  # forms of several characters
    "Ａ\u0301ｶﾞ",  # one-for-one forms that then compose: Á, ガ
    "\u1100\u1161",  # conjoining jamo that compose
    "𝐀𠀀\U0001f600",  # beyond the BMP: a bold A (NFKC: A), an ideograph, an emoji
    "\ud800\x00",  # a lone surrogate and a NUL from a badly decoded file
])
def test_nfkc_is_unicodedatas_nfkc(text):
    import unicodedata

    for sample in (text, _PAD + text, text + _PAD, _PAD + text + _PAD):
        assert tokenize.nfkc(sample) == unicodedata.normalize("NFKC", sample)


def test_nfkc_matches_unicodedata_on_every_seed_and_on_random_text():
    import unicodedata

    for path in SEED_FILES:
        text = path.read_text(encoding="utf-8")
        assert tokenize.nfkc(text) == unicodedata.normalize("NFKC", text)
    rng = random.Random(5)
    pool = "低保（），：；１ＡａｶﾞﾟＡ\u0301\u0308\u1100\u1161\u11a8①㈠ﬁ\u3000 a"
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(100, 300)))
        assert tokenize.nfkc(text) == unicodedata.normalize("NFKC", text), text


def _bag_holds(bag: set[str], term: str) -> bool:
    for gram, prefix in tokenize.query_grams(tokenize.fold(term)):
        if prefix:
            if not any(entry.startswith(gram) for entry in bag):
                return False
        elif gram not in bag:
            return False
    return True


def test_the_bag_of_a_text_holds_the_bag_of_every_substring_so_candidates_never_miss():
    rng = random.Random(3)
    for path in SEED_FILES:
        folded = tokenize.fold(path.read_text(encoding="utf-8"))
        bag = tokenize.gram_bag(folded)
        for _ in range(300):
            start = rng.randrange(len(folded) - 12)
            term = folded[start:start + rng.randint(1, 10)]
            assert _bag_holds(bag, term), term


def test_a_string_absent_from_the_text_usually_fails_the_bag():
    bag = tokenize.gram_bag(tokenize.fold("市委第六巡察组对市民政局党组开展了巡察"))
    assert not _bag_holds(bag, "殡葬")
    assert _bag_holds(bag, "组对市")  # crosses jieba's word boundaries, still found


def _entries(literal: str) -> set[str]:
    entries = [entry[1:-1] for entry in literal.split()]
    assert entries == sorted(set(entries))  # distinct, in PostgreSQL's order: it need not sort them
    return set(entries)


@pytest.mark.parametrize("parts", [
    [],
    [""],
    ["a"],
    ["!!"],
    ["低保", "保障"],  # no bigram across parts: 保保 must not appear
    ["x_y-z9"],  # the underscore ends a run, as in _RUN
    ["ab\U0001f600c𠀀𠀁"],  # emoji (not a letter) and letters beyond the BMP
    ["\ud800a"],  # a lone surrogate from a badly decoded file
    ["ǅǈ", "①②", "٣٤"],  # title case, circled and Arabic-Indic digits
])
def test_bag_vector_holds_exactly_the_reference_bag(parts):
    assert _entries(tokenize.bag_vector(parts)) == tokenize.gram_bag(*parts)


def test_bag_vector_matches_the_reference_bag_on_every_seed():
    for path in SEED_FILES:
        folded = tokenize.fold(path.read_text(encoding="utf-8"))
        title, text = folded[:40], folded[40:]
        assert _entries(tokenize.bag_vector([title, text])) == tokenize.gram_bag(title, text)


def test_word_entries_are_words_of_the_text_so_an_entry_never_confirms_a_false_match():
    for path in SEED_FILES:
        folded = tokenize.fold(path.read_text(encoding="utf-8"))
        title, text = folded[:40], folded[40:]
        words = tokenize.word_entries([title, text])
        assert len(words) > 100 and all(len(w) >= 3 and (w in title or w in text) for w in words)
        bag = _entries(tokenize.bag_vector([title, text], words))  # merged in PostgreSQL's order
        assert bag == tokenize.gram_bag(title, text) | words


def test_a_term_has_a_word_entry_to_look_up_only_when_it_is_one_run_of_three_characters_or_more():
    assert tokenize.word_query("巡察组") == "'巡察组'"
    assert tokenize.word_query("巡察") is None  # its bigram decides it
    assert tokenize.word_query("巡察-组") is None  # two runs: no word holds both


def test_rjieba_gives_jiebas_own_tokens_on_every_seed():
    jieba.setLogLevel(60)
    reference = jieba.Tokenizer()
    for line in tokenize._userdict_lines():
        reference.add_word(tokenize.fold(line.split()[0]))
    for path in SEED_FILES:
        folded = tokenize.fold(path.read_text(encoding="utf-8"))
        ours = tokenize._jieba().cut_for_search(folded, False)
        theirs = list(reference.cut_for_search(folded, HMM=False))
        assert ours == theirs, path.name


def test_domain_words_from_the_user_dictionary_come_out_whole():
    tokens = tokenize.index_tokens("市委第六巡察组对低保边缘家庭落实“三重一大”和“一岗双责”")
    for word in ("巡察组", "低保边缘家庭", "三重一大", "一岗双责"):
        assert word in tokens
    assert "“" not in tokens


def test_the_dictionary_version_changes_with_the_dictionary(monkeypatch):
    before = tokenize.dictionary_version()
    tokenize.dictionary_version.cache_clear()
    monkeypatch.setattr(tokenize, "_userdict_lines", lambda: ["巡察组", "新词语"])
    try:
        assert tokenize.dictionary_version() != before
    finally:
        tokenize.dictionary_version.cache_clear()


@pytest.mark.parametrize("lexeme, literal", [("it's", "'it''s'"), ("a\\b", "'a\\\\b'"), ("低保", "'低保'")])
def test_lexemes_are_quoted_the_way_postgres_reads_them(lexeme, literal):
    assert tokenize._quote(lexeme) == literal


def test_words_vector_keeps_weights_and_positions():
    literal = tokenize.words_vector([("巡察组", "A"), ("低保", "B")])
    assert "'巡察组':" in literal and "A" in literal and "'低保':" in literal and "B" in literal
