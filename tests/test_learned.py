"""The learned model: features, training, the shipped weights, and when it decides."""

from __future__ import annotations

import json

from paragraphs import PARAGRAPHS, TUNING

from lgso_core import learned
from lgso_core.judge import explain, explanation_text, verdict
from lgso_core.tone import read_tone

TRAINED_ON = [f"{part}.jsonl" for part in TUNING]


def test_features_mark_words_after_a_negator_in_its_clause():
    assert learned.features("It was not late, we think.") == [
        "not", "not_late", "think",  # "it", "was", "we" alone say nothing: only in pairs
        "it was", "was not", "not not_late", "not_late we", "we think",
    ]  # fmt: skip


def test_training_learns_a_separable_toy_set_and_repeats_itself():
    texts = ["late and slow", "slow and late again", "prompt and helpful", "helpful and prompt again"] * 3
    labels = ["concern", "concern", "praise", "praise"] * 3
    model = learned.train(texts, labels)
    assert model == learned.train(texts, labels)
    assert model["classes"] == ["concern", "praise"]
    assert model["weights"]["concern"]["late"] > 0 > model["weights"]["praise"]["late"]


def test_shipped_weights_are_what_training_on_the_tuning_parts_gives():
    shipped = learned.shipped()
    assert shipped["trained_on"] == TRAINED_ON
    assert "heldout.jsonl" not in shipped["trained_on"] and len(TRAINED_ON) >= 14
    rebuilt = learned.build([PARAGRAPHS / name for name in TRAINED_ON])
    for kind in ("tone", "topic"):
        assert rebuilt[kind]["classes"] == shipped[kind]["classes"]
        for label, weights in shipped[kind]["weights"].items():
            again = rebuilt[kind]["weights"][label]
            assert set(weights) == set(again)
            assert max(abs(weights[f] - again[f]) for f in weights) < 0.002


def test_shipped_file_is_plain_json_a_reader_can_open():
    data = json.loads((PARAGRAPHS.parents[2] / "lgso_core" / "data" / "learned.json").read_text("utf-8"))
    assert set(data) == {"trained_on", "tone", "topic"}


NO_CUE = (
    "The Council's replies to our draft decisions often arrived after we had finalised them "
    "and we had to reopen the cases."
)


def test_the_model_decides_where_the_cues_are_not_decisive_and_it_is_sure():
    assert read_tone(NO_CUE).tone == "information" and not read_tone(NO_CUE).evidence  # no cue
    v = verdict(NO_CUE)
    assert v.tone == "concern" and v.learned_tone is not None
    assert v.learned_tone.probability >= learned.TONE_OVER_NONE
    # one weak cue ("late" scores 2), and a model sure this is only a remark on the figures
    remark = "The compliance figure rests on a few cases, so a single late remedy would change the rate."
    assert read_tone(remark).tone == "concern" and not read_tone(remark).decisive
    assert verdict(remark).tone == "information" and verdict(remark).learned_tone is not None
    # one weak cue and a model that is not sure: the cue stands
    weak = "Two of the Council's replies were late."
    assert max(learned.probabilities("tone", weak).values()) < learned.TONE_OVER_CUES
    assert verdict(weak).tone == "concern" and verdict(weak).learned_tone is None
    # decisive cues decide alone
    ruled = "Thank you for your prompt and thorough replies to our enquiries."
    assert read_tone(ruled).decisive
    assert verdict(ruled).learned_tone is None and verdict(ruled).tone == "praise"


def test_changed_paragraphs_are_judged_by_the_rules_alone():
    assert verdict(NO_CUE, focus=[(0, 12)]).tone == "information"


def test_explanation_says_when_the_model_decided():
    text = explanation_text(explain(NO_CUE))
    assert "    the cues are not decisive; the learned model says concern (" in text


def test_the_model_is_not_asked_about_a_paragraph_on_the_process():
    # no cue, and every sentence speaks of what the Ombudsman or any council does
    text = "We ask every council to make sure its final response tells people they can come to us."
    v = verdict(text)
    assert read_tone(text).about_the_process
    assert v.tone == "information" and v.learned_tone is None


def test_training_parts_are_every_part_but_the_held_out_one_in_the_order_written(tmp_path):
    for name in ("dev10", "heldout", "dev", "dev2", "train", "notes"):
        (tmp_path / f"{name}.jsonl").write_text("", "utf-8")
    assert [p.stem for p in learned.training_parts(tmp_path)] == ["train", "dev", "dev2", "dev10", "notes"]
