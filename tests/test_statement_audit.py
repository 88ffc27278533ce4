"""An adversarial audit of who said what: hand-written news sentences, each with every statement it must give.

Each row: a name, a text written for this audit (fictional people and places), and the statements crosswire must
produce, in text order — (speaker, cue, class, negated, modality, content) — and no others. The rows stress what makes a
fact-checker stop trusting the tool: negated cues ("did not say", "denied saying", "failed to mention"), negated
content, refusals and silences, conditions and hypotheticals, questions ("asked whether", "whether X said"),
rumours ("it is said", "is said to have"), pronoun speakers, two speakers in a sentence, split and inner quotations,
"according to X, Y said", organisations, titles, passives, relative clauses, and a quotation running over
paragraphs. Rows marked ``fixed`` failed before the audit's changes (``statements-7``); the others pin behaviour that
was already right or is the safe reading (a speaker left unresolved, a statement dropped) — see
docs/benchmarks.md ("Statement classes and the precision audit") for what is still wrong.
"""

from __future__ import annotations

import pytest

from crosswire.model import Statement, StatementClass
from crosswire.nlp.analyse import analyse_doc
from crosswire.nlp.parse import parse

SPEECH, STANCE, NO_COMMENT = StatementClass.SPEECH, StatementClass.STANCE, StatementClass.NO_COMMENT
Expected = tuple[str | None, str | None, StatementClass, bool, str | None, str]  # speaker, cue, class, negated, modality, content

CASES: list[tuple[str, str, list[Expected]]] = [
    ('neg-cue-say', 'Health Minister Ana Lind did not say that the clinic would close.',
     [('Ana Lind', 'did not say', NO_COMMENT, True, 'would', 'that the clinic would close')]),
    ('denied-that', 'Mayor Pavel Rusu denied that the water supply was contaminated.',
     [('Pavel Rusu', 'denied', SPEECH, True, None, 'that the water supply was contaminated')]),
    ('never-claimed', 'Councillor Mira Olsen never claimed that the budget was balanced.',
     [('Councillor Mira Olsen', 'never claimed', NO_COMMENT, True, None, 'that the budget was balanced')]),
    ('neg-content', 'The port authority said the spill was not caused by the tanker.',
     [('The port authority', 'said', SPEECH, True, None, 'the spill was not caused by the tanker')]),
    ('could-not-rule-out', 'Police said they could not rule out that the fire was set deliberately.',
     [('Police', 'said', SPEECH, True, 'could', 'they could not rule out that the fire was set deliberately')]),
    ('did-not-deny', 'The ministry did not deny that troops had crossed the border.',
     [('The ministry', 'did not deny', NO_COMMENT, True, None, 'that troops had crossed the border')]),
    ('refused-whether', 'Governor Olek Brandt refused to say whether the evacuation would be extended.',
     [('Olek Brandt', 'refused', NO_COMMENT, True, None, 'to say whether the evacuation would be extended')]),
    ('declined-comment', 'A spokesman for the airline declined to comment on the crash.',
     [('A spokesman for the airline', 'declined', NO_COMMENT, True, None, 'to comment on the crash')]),
    ('yet-to-respond', 'The company has yet to respond to questions about the losses.',
     [('The company', 'to respond to', NO_COMMENT, False, None, 'questions about the losses')]),
    ('not-reached', 'Olsen could not be reached for comment on Tuesday.',
     []),
    ('cond-quote', '“If the river keeps rising, we will evacuate the old town,” Mayor Pavel Rusu said.',
     [('Pavel Rusu', 'said', SPEECH, False, 'conditional+will', '“If the river keeps rising, we will evacuate the old town,”')]),
    ('cond-indirect', 'Rusu said that if the dam held, residents could return home by Friday.',
     [('Rusu', 'said', SPEECH, False, 'conditional+could', 'that if the dam held, residents could return home by Friday')]),
    ('would-say', 'Critics would say the plan came far too late.',
     [('Critics', 'would say', STANCE, False, 'would', 'the plan came far too late')]),
    ('might-argue', 'Some economists might argue that the tax cut will pay for itself.',
     [('Some economists', 'might argue', STANCE, False, 'might+will', 'that the tax cut will pay for itself')]),
    # fixed; was: 'Reporters' 'asked' speech neg=False mod=would :: 'whether the minister would resign'
    ('asked-whether', 'Reporters asked whether the minister would resign.',
     [('Reporters', 'asked', SPEECH, False, 'question+would', 'whether the minister would resign')]),
    ('it-is-said', 'It is said that the general fled the country in March.',
     []),
    ('pronoun-prev', 'Ana Lind arrived at the hospital on Monday. She said the ward would reopen next week.',
     [(None, 'said', SPEECH, False, 'would', 'the ward would reopen next week')]),
    ('two-speakers-but', 'Rusu said the bridge was safe, but engineer Tomas Berg said it needed urgent repairs.',
     [('Rusu', 'said', SPEECH, False, None, 'the bridge was safe'),
      ('Tomas Berg', 'said', SPEECH, False, None, 'it needed urgent repairs')]),
    ('split-quote', '“We have enough beds for now,” said Karin Vik, the hospital director. “But another wave would overwhelm us.”',
     [('Karin Vik', 'said', SPEECH, False, 'would', '“We have enough beds for now,” | “But another wave would overwhelm us.”')]),
    ('according-nested', 'According to the fire service, a witness said the blaze started in the kitchen.',
     [('the fire service', 'According to', SPEECH, False, None, 'a witness said the blaze started in the kitchen')]),
    ('org-statement', 'The Interior Ministry said in a statement that two officers were injured.',
     [('Interior Ministry', 'said', SPEECH, False, None, 'that two officers were injured')]),
    ('title-name', 'Health Minister Ana Lind said the vaccine supply was secure.',
     [('Ana Lind', 'said', SPEECH, False, None, 'the vaccine supply was secure')]),
    ('passive-agent', 'It was announced by the ministry that the border would reopen on Monday.',
     [('the ministry', 'was announced', SPEECH, False, 'would', 'that the border would reopen on Monday')]),
    ('relcl-speaker', 'The engineer who said the bridge was unsafe was dismissed on Friday.',
     [('The engineer', 'said', SPEECH, False, None, 'the bridge was unsafe')]),
    ('inner-quote', '“The mayor told us, ‘Nobody will lose their home,’ and then the bulldozers came,” said resident Lena Holm.',
     [('Lena Holm', 'said', SPEECH, False, None, '“The mayor told us, ‘Nobody will lose their home,’ and then the bulldozers came,”')]),
    ('next-para-speaker', '“The shelters are full,” said aid worker Jonas Pell.\n\n“We are turning families away every night.”\n\nThose were the words of Maria Soto, a volunteer at the shelter.',
     [('Jonas Pell', 'said', SPEECH, False, None, '“The shelters are full,” | “We are turning families away every night.”')]),
    ('nobody-said', 'Nobody at the ministry said the report was wrong.',
     [('Nobody at the ministry', 'said', NO_COMMENT, True, None, 'the report was wrong')]),
    ('neg-unless', 'The mayor said the city would not raise taxes unless the state cut its grants.',
     [('The mayor', 'said', SPEECH, True, 'conditional+would', 'the city would not raise taxes unless the state cut its grants')]),
    ('neg-believe', 'Berg said he did not believe the bridge would collapse.',
     [('Berg', 'said', SPEECH, True, None, 'he did not believe the bridge would collapse')]),
    ('rejected-claims', 'Rusu rejected claims that the water was unsafe.',
     [('Rusu', 'rejected', STANCE, True, None, 'claims that the water was unsafe')]),
    ('not-true-that', 'Lind said it was not true that the clinic had run out of vaccines.',
     [('Lind', 'said', SPEECH, True, None, 'it was not true that the clinic had run out of vaccines')]),
    ('could-if', 'Berg warned that the bridge could fail if heavy trucks kept using it.',
     [('Berg', 'warned', SPEECH, False, 'conditional+could', 'that the bridge could fail if heavy trucks kept using it')]),
    ('two-orgs-though', "The mayor's office said on Twitter that the road would reopen on Monday, though police said it would stay closed until Wednesday.",
     [("The mayor's office", 'said', SPEECH, False, 'would', 'that the road would reopen on Monday'),
      ('police', 'said', SPEECH, False, 'would', 'it would stay closed until Wednesday')]),
    # fixed; was: 'Rusu' 'has denied' stance neg=True mod=None :: 'any wrongdoing'; 'Rusu, who has denied any wrongdoing,' 'said' speech neg=False mod=would :: 'the audit would clear him'
    ('relcl-denied', 'Rusu, who has denied any wrongdoing, said the audit would clear him.',
     [('Rusu', 'has denied', STANCE, True, None, 'any wrongdoing'),
      ('Rusu', 'said', SPEECH, False, 'would', 'the audit would clear him')]),
    ('never-said-quote', '“I never said the bridge was safe,” Berg told the council.',
     [('Berg', 'told', SPEECH, True, None, '“I never said the bridge was safe,”')]),
    ('pronoun-cond', 'Finance chief Omar Haddad faced the board on Monday. He said he would resign if the audit found any fraud.',
     [('Omar Haddad', 'said', SPEECH, False, 'conditional+would', 'he would resign if the audit found any fraud')]),
    ('expected-to-say', 'Lind is expected to say on Monday that the lockdown will end.',
     [('Lind', 'is expected', STANCE, False, None, 'to say on Monday that the lockdown will end')]),
    # fixed; was: 'Pell' 'did not say' no-comment neg=True mod=would :: 'whether the shelter would close'
    ('did-not-say-whether', 'Pell did not say whether the shelter would close.',
     [('Pell', 'did not say', NO_COMMENT, True, 'question+would', 'whether the shelter would close')]),
    ('no-evidence', 'The ministry said it had no evidence that the vote was rigged.',
     [('The ministry', 'said', SPEECH, True, None, 'it had no evidence that the vote was rigged')]),
    ('relcl-attrib', 'The report, which the ministry said had been leaked, shows that debt rose sharply.',
     [('The report, which the ministry said had been leaked,', 'shows', STANCE, False, None, 'that debt rose sharply')]),
    ('dont-panic', "“Don't panic,” the mayor told residents.",
     [('the mayor', 'told', SPEECH, True, None, "“Don't panic,”")]),
    # fixed; was: 'Haddad' 'Asked' speech neg=False mod=would :: 'if he would run again'; 'Haddad' 'said' speech neg=True mod=None :: 'he had not decided'
    ('asked-if-said', 'Asked if he would run again, Haddad said he had not decided.',
     [('Haddad', 'said', SPEECH, True, None, 'he had not decided')]),
    ('x-said-y-told', 'Rusu said Berg had told him the bridge was safe.',
     [('Rusu', 'said', SPEECH, False, None, 'Berg had told him the bridge was safe')]),
    ('it-is-rumoured', 'It is rumoured that the minister will resign, but Lind said she had no such plans.',
     [('Lind', 'said', SPEECH, True, None, 'she had no such plans')]),
    ('cannot-confirm', 'Police said they could not confirm that the suspect had left the country.',
     [('Police', 'said', SPEECH, True, 'could', 'they could not confirm that the suspect had left the country')]),
    ('neither-nor', 'Neither Rusu nor Berg said the bridge would be closed.',
     [('Berg', 'said', NO_COMMENT, True, 'would', 'the bridge would be closed')]),
    # fixed; was: 'Haddad' 'would have said' stance neg=False mod=would :: 'the deal was fair'
    ('would-have-said', 'Had he been asked, Haddad would have said the deal was fair.',
     [('Haddad', 'would have said', STANCE, False, 'conditional+would', 'the deal was fair')]),
    # fixed; was: 'the ministry' 'will say' stance neg=False mod=None :: 'that the figures are provisional'
    ('hypothetical-if-asked', 'If asked, the ministry will say that the figures are provisional.',
     [('the ministry', 'will say', STANCE, False, 'conditional', 'that the figures are provisional')]),
    ('coord-subject', 'Rusu and Berg said the bridge would be closed for a month.',
     [('Berg', 'said', SPEECH, False, 'would', 'the bridge would be closed for a month')]),
    # fixed; was: 'Jonas Pell' 'said' speech neg=False mod=None :: 'the city had been warned | “The shelters'; 'Maria Soto' 'said' speech neg=False mod=None :: '“We are turning families away every nigh'
    ('multi-para-cue-after', 'Jonas Pell, an aid worker, said the city had been warned.\n\n“The shelters are full.\n\n“We are turning families away every night,” said Maria Soto, a volunteer.',
     [('Jonas Pell', 'said', SPEECH, False, None, 'the city had been warned'),
      ('Maria Soto', 'said', SPEECH, False, None, '“The shelters are full. | “We are turning families away every night,”')]),
    ('next-para-new-cue', '“The shelters are full,” said aid worker Jonas Pell.\n\n“We are turning families away every night,” said Maria Soto, a volunteer.',
     [('Jonas Pell', 'said', SPEECH, False, None, '“The shelters are full,”'),
      ('Maria Soto', 'said', SPEECH, False, None, '“We are turning families away every night,”')]),
    ('told-by-agent', 'Rusu was told by Lind that the clinic would stay open.',
     [('Lind', 'was told', SPEECH, False, 'would', 'that the clinic would stay open')]),
    ('told-passive-noagent', 'Rusu was told that the clinic would stay open.',
     []),
    ('possessor-spokesman', "Minister Ana Lind's spokesman said the minister was ill.",
     [("Minister Ana Lind's spokesman", 'said', SPEECH, False, None, 'the minister was ill')]),
    ('spokesman-for', 'A spokesman for Ana Lind said the minister had left the country.',
     [('A spokesman for Ana Lind', 'said', SPEECH, False, None, 'the minister had left the country')]),
    ('mixed-never-promised', 'Rusu said he had “never promised” to cut taxes.',
     [('Rusu', 'said', SPEECH, True, None, 'he had “never promised” to cut taxes')]),
    ('no-decision', 'Lind said no decision had been made about the clinic.',
     [('Lind', 'said', SPEECH, True, None, 'no decision had been made about the clinic')]),
    ('unless-trailing', 'Unless the talks succeed, the strike will go ahead, union leader Ida Brun said.',
     [('Ida Brun', 'said', SPEECH, False, 'conditional+will', 'Unless the talks succeed, the strike will go ahead')]),
    ('pronoun-quote-prev', 'Tomas Berg was blunt. “The bridge will fall,” he said.',
     [('Tomas Berg', 'said', SPEECH, False, 'will', '“The bridge will fall,”')]),
    # fixed; was: 'Rusu' 'Asked' speech neg=False mod=None :: '“We were waiting for the money.”'
    ('asked-addressed-quote', 'Asked about the delay, Rusu said: “We were waiting for the money.”',
     [('Rusu', 'said', SPEECH, False, None, '“We were waiting for the money.”')]),
    ('if-cue-condition', 'If the vote fails, Rusu said, he will resign.',
     []),
    # fixed; was: 'Rusu' 'to mention' speech neg=False mod=None :: 'that the bridge had been closed twice'
    ('failed-to-mention', 'Rusu failed to mention that the bridge had been closed twice.',
     [('Rusu', 'to mention', NO_COMMENT, True, None, 'that the bridge had been closed twice')]),
    ('stopped-short', 'Rusu stopped short of saying that the bridge was unsafe.',
     []),
    # fixed; was: 'Rusu' 'to have ordered' stance neg=False mod=None :: 'the closure of the bridge'
    ('is-said-to', 'Rusu is said to have ordered the closure of the bridge.',
     [('Rusu', 'to have ordered', STANCE, False, 'hedged', 'the closure of the bridge')]),
    ('is-believed-to', 'The general is believed to have fled the country in March.',
     []),
    ('quoted-as-saying', 'Lind was quoted as saying that the clinic would close.',
     []),
    # fixed; was: 'Rusu' 'would not say' no-comment neg=True mod=would :: 'whether the bridge was safe'
    ('would-not-say', 'Rusu would not say whether the bridge was safe.',
     [('Rusu', 'would not say', NO_COMMENT, True, 'question+would', 'whether the bridge was safe')]),
    ('did-not-respond', 'Berg did not respond to a request for comment.',
     [('Berg', 'did not respond to', NO_COMMENT, True, None, 'a request for comment')]),
    ('not-say-then-say', 'Lind did not say the clinic would close; she said it would move to a new building.',
     [('Lind', 'did not say', NO_COMMENT, True, 'would', 'the clinic would close')]),
    # fixed; was: 'Berg' 'saying' speech neg=True mod=None :: 'that the bridge was unsafe'
    ('denied-saying', 'Berg denied saying that the bridge was unsafe.',
     [('Berg', 'saying', NO_COMMENT, True, None, 'that the bridge was unsafe')]),
    ('not-only-said', 'Rusu did not only say that the bridge was safe; he called it the safest in the country.',
     [('Rusu', 'say', SPEECH, False, None, 'that the bridge was safe')]),
    # fixed; was: 'Rusu' 'said' speech neg=False mod=None :: 'the bridge was safe'
    ('unclear-whether-said', 'It is not clear whether Rusu said the bridge was safe.',
     [('Rusu', 'said', STANCE, False, 'question', 'the bridge was safe')]),
    # fixed; was: 'Rusu' 'said' speech neg=False mod=None :: 'the bridge was safe'
    ('if-he-said', 'If Rusu said the bridge was safe, he was badly mistaken.',
     [('Rusu', 'said', STANCE, False, 'conditional', 'the bridge was safe')]),
    # fixed; was: None 'had said' speech neg=False mod=None :: 'the bridge was safe'
    ('asked-whether-had-said', 'Rusu was asked whether he had said the bridge was safe.',
     [(None, 'had said', STANCE, False, 'question', 'the bridge was safe')]),
    ('said-nothing', 'Berg said nothing about the bridge.',
     []),
    ('split-neg-quote', '“We are not,” Rusu said, “going to close the bridge.”',
     [('Rusu', 'said', SPEECH, True, None, '“We are not,” | “going to close the bridge.”')]),
    # fixed; was: 'reporters' 'Asked' speech neg=False mod=would :: 'whether he would resign'; 'Rusu' 'said' speech neg=True mod=None :: 'he had never considered it'
    ('asked-by-agent', 'Asked by reporters whether he would resign, Rusu said he had never considered it.',
     [('reporters', 'Asked', SPEECH, False, 'question+would', 'whether he would resign'),
      ('Rusu', 'said', SPEECH, True, None, 'he had never considered it')]),
    ('open-quote-slip', '“It is a dog whistle,” councillor Ada Kerr said. “If the council ignores this, nobody will trust it again.\n\n“I have been thinking about this for weeks,” added councillor Ben Ash.',
     [('Ada Kerr', 'said', SPEECH, True, 'conditional+will', '“It is a dog whistle,” | “If the council ignores this, nobody will trust it again.')]),
    # fixed; was: None 'to report' speech neg=False mod=None :: '“against every rule of fair play”'
    ('quote-beside-omission', 'The two coaches are accused of acting “against every rule of fair play” by failing to report the payments, the league said.',
     []),
]


def reading(text: str, s: Statement) -> Expected:
    return (s.speaker, s.cue, s.class_, s.negated, s.modality, " | ".join(text[a:b] for a, b in s.content))


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_statement_reading(name: str, text: str, expected: list[Expected]) -> None:
    got = [reading(text, s) for s in analyse_doc(next(parse([text])), "t").statements]
    assert got == expected


def test_the_table_is_the_audit() -> None:
    assert len(CASES) >= 40 and len({c[0] for c in CASES}) == len(CASES)
