"""Hand-written detectors for the techniques that have a recognisable grammar.

Labels, mirrors, calibrated questions, accusation audits and summaries are formulaic
(Voss's own descriptions are close to patterns), and so are insults, lectures and
conditional threats. Each detector reads the normalised words of a line (see text.py)
and returns the words that triggered it, so a reading can always be explained. The
statistical model (bayes.py) covers phrasings these patterns miss; hard cases that the
model would confuse are settled here (an insult phrased as a label is name-calling; a
'why' or yes/no question is not calibrated).
"""
from __future__ import annotations

import re
from collections.abc import Callable

Detector = Callable[[str, list[str]], str | None]  # (joined words, context words) -> evidence or None

INSULTS = (r"war criminal|criminal|butcher|thug|liar|murderer|killer|monster|gangster|dictator|tyrant|coward|"
           r"crook|thie(f|ves)|looters?|savage|barbarian|psychopath|maniac|pathetic|scum|animal")
_LABEL_LEAD = (r"(^|\? )((it |that )?(sounds|seems|looks|feels|appears)( as if| as though| like)? |(you )?(seem|sound|"
               r"appear)( to (be|feel|think|believe|fear|have|want|need))? |i (sense|hear|imagine|notice|can (see|tell|"
               r"hear)|(get|have) the (sense|feeling|impression)) (that )?|my (sense|impression) is (that )?)")
_FEELINGS = (r"afraid|fear|worr|anxious|angry|anger|frustrat|humiliat|disrespect|cornered|pressure|tired|"
             r"proud|disappoint|concern|bracing|hurt|bite|weigh|trust|betray|threaten|ignored|insult|"
             r"matters|need|want|believe|think time|under|watching|cannot say|can not say|cost|sell|hard|corner|pushed|"
             r"encircl|surround|isolat|alone|respect|listen|cheated|squeezed|exhaust|sting|pinch|pain")
_EMOTION = (r"(afraid|fear|worr|anxious|angry|anger|frustrat|humiliat|disrespect|cornered|betray|hurt|disappoint|"
            r"concern|insult|ignored|under (pressure|siege)|uneasy|upset|suspicious|wary|bitter|offended|resent|"
            r"distrust|mistrust|doubt)")  # named at once after the lead: "you seem worried"; not "tired"
_FEELING_LEAD = re.compile(r"to (feel|fear|believe|think|want|need)|the (sense|feeling|impression)|my (sense|impr)")
_THREAT_IF = r"^(if|should|the moment|once|make another|cross that|keep|do that|touch)\b|\bor else\b|\bif you\b"
CREDIBLE = (r"sanction|freeze|frozen|asset|price cap|export|tariff|bank|insur|shadow fleet|air defense|"
            r"interceptor|battery|batteries|training|train|artillery|long range|longer range|range limit|"
            r"radar|drone|jammer|missile|shells|aid|delivery|deliveries|exemption|travel ban|evidence|"
            r"reconstruction|publish|limits on the range|navy|armored|brigade")
INCREDIBLE = (r"\bour (own )?(soldiers|troops|armies|army|divisions|jets|fleet|navies|navy)|alliance troops|"
              r"go to war|declare war|invade|nuclear|every market|never sell|the whole world|expel you|"
              r"regime will not last|bring the war to your cities|in a cell|blockade all|sink yours|"
              r"china included|forever")
RECKLESS = (r"without limit|no limit|no ceiling|all the way|whatever it costs|whatever it takes|no red lines|"
            r"gloves are off|hit your capital|strike your capital|to moscow|march on your capital|"
            r"government (to )?fall|crush|destroy|double and then double|top of the ladder|until nothing moves|"
            r"every bridge|no off ramp|no way out|and beyond")


def _search(pattern: str) -> Detector:
    compiled = re.compile(pattern)

    def detect(line: str, _context: list[str]) -> str | None:
        found = compiled.search(line)
        return found.group(0) if found else None
    return detect


def label(line: str, _context: list[str]) -> str | None:
    lead = re.search(_LABEL_LEAD, line)
    if not lead or re.search(INSULTS, line):
        return None  # an insult dressed as a label is name-calling
    if audit(line, _context):
        return None  # "i imagine you think we ..." names what he suspects of us: an audit
    rest = line[lead.end():]
    if re.match(r"(you|your|the|this|that|like|as if|trust|nobody|time|what|there)\b", rest) and (
            re.search(_FEELINGS, rest) or _FEELING_LEAD.search(lead.group(0))):
        return lead.group(0).strip(" ?")
    if re.match(r"((a lot of|some|real|deep|a|so|very|quite|rather|genuine|great) )?" + _EMOTION, rest):
        return lead.group(0).strip(" ?")  # "you seem worried", "i sense a lot of frustration"
    return None


def mirror(line: str, context: list[str]) -> str | None:
    """The last words the other side said, repeated (often as a question)."""
    said = line.replace("?", " ").split()
    last = [w for w in context if w != "?"]
    if not said or not last:
        return None
    if len(said) == 1 and said[0] not in _FILLER and said[0] in last[-3:]:
        return said[0]  # one word of his last few, handed back: "lectured?"
    for size in (4, 3, 2):
        tail_windows = {tuple(last[i:i + size]) for i in range(max(0, len(last) - 8), len(last) - size + 1)}
        for i in range(0, min(len(said), 6) - size + 1):
            echoed = said[i:i + size]
            content = [w for w in echoed if w not in _FILLER]
            if tuple(echoed) in tail_windows and content and (len(content) >= 2 or i == 0 or len(said) <= 6):
                return " ".join(echoed)  # one common word echoed inside a long line is no mirror
    return None


_FILLER = {"the", "a", "of", "to", "and", "you", "we", "is", "are", "it", "on", "in", "our", "your", "i", "will",
           "not", "be", "have", "has", "can", "would", "that", "this", "do", "for", "with", "at", "us", "they",
           "me", "my", "so", "was", "an", "no"}  # two of these together echo nobody in particular


def calibrated(line: str, _context: list[str]) -> str | None:
    """A how/what question that invites an answer; 'why' accuses and yes/no closes. Punctuation
    is gone by now, so the question may start anywhere in the line."""
    found = re.search(r"(^|\? )(how|what)\b(?! about| time| a | an | is your| was your| are you| was the|"
                      r" i am hearing| i hear| i heard| we (are )?hear| you are (saying|telling)| i understand| i take|"
                      r" (i|we) (need|want|propose|can offer|am asking|are asking|am offering|are offering) is)"
                      r"|\b(how|what) (would|could|can|do|does|did|should|will|makes?|happens|stops|part|is the|"
                      r"are you most|needs?|if)\b", line)
    if not found or re.match(r"(how are you|how was|what time|what a )", line) or re.search(
            r"\bhow (come|dare)\b|\bwhat (were|was) you thinking|\bwhat (the hell|on earth)", line):
        return None  # "how come" and "how dare" ask why; "what were you thinking" accuses
    return found.group(0).strip(" ?") + " ..."


summary = _search(r"^(so |and )?(what you are (saying|telling me)|what i am hearing|what i (hear|heard)|"
                  r"if i (understand|follow|hear|read|get you)|in other words|correct me if|as i understand|"
                  r"the way i understand|(so )?(for you|your side)[a-z ]{0,20} (comes down to|boils down to)|"
                  r"if i have (got )?(it|this|that) right|let me (make sure|see if|check|repeat|play|be sure|sum)|"
                  r"to (sum|summarize|recap|put together)|so in short|so to recap|so you are (saying|telling)|"
                  r"so the (core|monitors|obstacle)|so your position|so you need|so if i follow|"
                  r"so the problem|in short)")


audit = _search(r"^(you (probably|may|might|must|likely|are probably|are likely|may be|might be|must be|will probably) "
                r"(think|thinking|see|seeing|suspect|believe|feel|assume|expect|say|wonder|wondering)\b|"
                r"i (know|imagine|expect|suspect|am sure|bet) (that )?(you|how this))|"
                r"\bwhat you (are )?(probably|likely|must be|may be) (think|thinking|expect|expecting)")


def threat(line: str, _context: list[str]) -> str | None:
    if re.search(_THREAT_IF, line) and re.search(CREDIBLE, line) and not re.search(INCREDIBLE, line):
        return re.search(CREDIBLE, line).group(0)  # type: ignore[union-attr]
    return None


def bluff(line: str, _context: list[str]) -> str | None:
    found = re.search(INCREDIBLE, line)
    return found.group(0) if found else None


SANCTIONS = (r"sanction|shadow fleet|price cap|frozen|freeze|seiz|export control|loophole|insur(ance|ers)|"
             r"travel ban|payment system|financial messaging|list(ed)? (another|two|more)|yachts|reexport|"
             r"dual use|tariff|central bank|banks?\b|shipyards|embargo|exemptions?")
AID = (r"air defense|interceptor|batter(y|ies)|training|trained|train |artillery|shells|long(er)? range|radar|"
       r"drones?|jammers?|missiles|armored|spare parts|brigade|demining|pilots|crews|deliveries|shipment|"
       r"weapons|equipment|systems")
INDIVISIBLE = (r"neutral|alliance (bid|application|membership)|alliances|veto|government|cabinet|ministers?|"
               r"elections?|annex|referendum|new border|provinces|foreign (policy|treaties)|army is capped|"
               r"capped|language|curriculum|buffer state|sovereignty|independen|constitution|exists? as|"
               r"who (leads|governs)|their laws|occupied|recognize the new")


def concede(line: str, _context: list[str]) -> str | None:
    if re.search(r"half|halfway|middle|split|shared|jointly|divide|partial|fifty fifty|evenly", line):
        return None  # offering a share is splitting, not conceding
    give = re.search(r"(we (can|will|would|could)? ?(accept|agree|recognize|live with|drop)|can be (one|coordinated|"
                     r"postponed)|is yours|are yours|yours to decide|you (can|may) (have|veto|check|name)|"
                     r"give you a veto|letting you|let you|will drop|will not join|realistic|sensible|pragmatic|"
                     r"price worth)", line)
    if give and re.search(INDIVISIBLE, line) and not re.search(r"\b(if|provided) (kalyna|they) (keeps|keep)", line):
        return give.group(0)
    return None


def split(line: str, _context: list[str]) -> str | None:
    share = re.search(r"half|halfway|meet in the middle|split|shared (say|sovereignty|control)|jointly|divide[d]?|"
                      r"partial|fifty fifty|evenly|a seat in its cabinet|compromise on their", line)
    if share and re.search(INDIVISIBLE + r"|kalyna", line):
        return share.group(0)
    return None


pressure_ally = _search(r"(press|push|persuade|lean on|force|tell|told|make (sure )?|get|slow|cut|withhold|leave)"
                        r"[a-z ]{0,30}(kalyna|marenko|their president|our allies in)[a-z' ]{0,60}"
                        r"(accept|give|concede|drop|sign|stop|withdraw|elections|terms|deal|realistic|compromise|"
                        r"patience|conced|tell them)|(aid|deliveries|tranche)[a-z ]{0,20}(to|from) kalyna[a-z ]{0,40}"
                        r"(unless|until|depends|push)")


def fold(line: str, _context: list[str]) -> str | None:
    if re.search(r"\bif (the|a) (ceasefire|first phase|pause) holds|resume them if", line):
        return None  # a reciprocal, reversible step is phasing, not folding
    return _search(r"(pause|shelve|slow|suspend|cancel|withdraw|freeze all|halt|back off|stop|keep|drop|"
                   r"will not (send|enforce)|stay home|in storage)[a-z ]{0,40}(deliveries|sanctions|aid|package|"
                   r"training|batteries|threat|offer|price cap|interceptors|long range|systems|program|firing|"
                   r"for now)")(line, _context) if re.search(
        r"threat|calm|avoid|risk|good (will|faith)|warning|danger|temperature|nuclear|safer|point|spokesman|"
        r"unconditional|ask kalyna to stop", line) else None


def walk_away(line: str, context: list[str]) -> str | None:
    if audit(line, context) or re.search(r"walk (away|out) (from|of) this war", line):
        return None  # "you think we will walk away" names his fear; leaving a war is a golden bridge
    return _search(r"\b(we are|i am) (leaving|done|withdrawing|going home|not signing)|\bwe walk (away|out)|"
                   r"walking out|(talks|meeting) (is|are) (over|closed)|ending these talks|suspending the talks|"
                   r"leave the table|stand up and leave|refuse to sign|(i|we) (will|am|are) not sign|"
                   r"(i|we) will leave|we will go home|returning to|done here|goodbye")(line, context)


DETECTORS: dict[str, Detector] = {
    "empathy.label": label,
    "empathy.mirror": mirror,
    "empathy.calibrated_question": calibrated,
    "empathy.accusation_audit": audit,
    "empathy.summary": summary,
    "brink.credible_threat": threat,
    "brink.bluff": bluff,
    "brink.reckless_escalation": _search(RECKLESS),
    "discipline.name_calling": _search(r"\b(" + INSULTS + r")\b"),
    "discipline.lecture": _search(r"world has changed|history will judge|rules based order|wrong side of history|"
                                  r"new world order|twenty first century|in our century|civilized (nations|world)|"
                                  r"international law|let me (teach|explain|remind)|you (must|need to|should) "
                                  r"(understand|learn|study)|last century|budapest"),
    "brink.sanctions": lambda line, ctx: (re.search(SANCTIONS, line).group(0)  # type: ignore[union-attr]
                                          if re.search(SANCTIONS, line) and not fold(line, ctx) else None),
    "brink.military_aid": lambda line, ctx: (re.search(AID, line).group(0)  # type: ignore[union-attr]
                                             if re.search(AID, line) and not fold(line, ctx) else None),
    "brink.calibrated_escalation": _search(r"one (more )?(step|notch|rung|turn|category|battalion|more)|"
                                           r"step by step|gradual|proportionate|measured|calibrated|every (week|"
                                           r"month|step)|each (month|week|step)|for every|ratchet|slowly and on "
                                           r"purpose|this (month|quarter)[a-z ]*next (month|quarter)|"
                                           r"held in reserve|not ten|not further|and not more|no more:"),
    "brink.fold": fold,
    "brink.cyber": _search(r"cyber|hack(ers?|ing)?\b|malware|intrusion|"
                           r"(operators|units) (can|could|will)? ?(slip|get|break) in|"
                           r"(into|inside) (the|his|their) [a-z ]{0,30}(network|servers?|software)|"
                           r"(servers?|network|software) offline|offline for"),
    "discipline.concede_indivisible": concede,
    "discipline.split_indivisible": split,
    "discipline.pressure_ally": pressure_ally,
    "offramp.face_saving": _search(r"(you can|we can|can) (present|frame|say|describe|call|word|tell your|"
                                   r"announce)|not (need to )?call it|nobody (here )?needs to call|"
                                   r"(statement|communique|text|record|announcement)[a-z ]{0,30}(can|show|thank)|"
                                   r"speak first|costs you nothing|not claim any victory|your own (decision|choice|"
                                   r"initiative|humanitarian)|without endorsing|your initiative"),
    "offramp.phased_step": _search(r"\bfirst\b[a-z ,;]*\bthen\b|in stages|staged|phase|stepwise|step (at a|by)|"
                                   r"one (district|hundred) at a time|reversible|revers|renewable|trial|tranches?|"
                                   r"review(ed)?|small (test|step)|(first|next) five|build from there|each step|"
                                   r"sequence|nothing irreversible|(pause|ceasefire)[a-z ]{0,20}(days|month)|"
                                   r"if (the|a) (ceasefire|first phase|pause) holds"),
    "offramp.mediator": _search(r"mediat|\bshen|republic|neutral (guarantor|state|commission|observers)|"
                                r"guarantor|third party|outside (mediator|party)|honest broker"),
    "offramp.golden_bridge": _search(r"(your|the) (victory|triumph|achievement)|as (the )?(winner|statesman|"
                                     r"peacemaker)|man who|leader who|road (back|forward)|bridge|looks? like "
                                     r"(winning|the winner|a road)|leaving look like|walk (away|out) (from|of) "
                                     r"this war|remembered|an exit|step back now|retreat can be|stronger side|"
                                     r"the story is that you|(world|history|people|publics?|everyone|they) "
                                     r"(will )?thank you|claim[a-z ]{0,40}as your|as a success|"
                                     r"you were the one"),
    "intel.read_signals": _search(r"(satellite|imagery|intercepts|intelligence|briefing|signals|shipping data|"
                                  r"assessment|analys|reports?|numbers|rail traffic|monitors' reports|verify)"
                                  r"|before (i|we) (answer|commit|respond|decide|sign|continue|go further)|"
                                  r"look first|what are (your|their) (units|columns|troops)|word by word"),
    "walk_away": walk_away,
}


def detect(line_words: list[str], context_words: list[str]) -> dict[str, str]:
    """Tag -> the words that triggered it, for every detector that fires."""
    line = " ".join(line_words).replace(" ?", "?")
    found = {}
    for tag, detector in DETECTORS.items():
        evidence = detector(line, context_words)
        if evidence:
            found[tag] = evidence
    return found
