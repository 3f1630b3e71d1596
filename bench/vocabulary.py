"""The words, actors and topics the synthetic corpus is written with.

Fixed lists, not random ones, so queries in the search mix ("tariffs", actor:"Mark Carney",
"supply management") hit the corpus at realistic rates whatever the seed.
"""

from __future__ import annotations

from itertools import accumulate
from random import Random

# Most frequent English function words first: they take the top Zipf ranks, as in real prose.
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """the of and to in a is that for on with as was by it at from be this have are an has
    not but or had which its were been would will their they more than also who about after
    said one new two over when into there could other all some can what up out so only
    its last year most may before while under between since three first any such week
    those these both because against during them our we he she his her us if no could
    then through where just many much even now well should still""".split()
)

# News vocabulary about trade and security talks. It contains every content word the search
# bench's query mix (bench/search_bench.py) draws from, so its queries hit this corpus too.
CONTENT_WORDS: tuple[str, ...] = tuple(
    """government minister talks negotiation negotiations agreement deal trade tariff duties
    tariffs energy oil radar arctic negotiator negotiated negotiating
    officials border security economy economic market markets exports imports industry
    workers jobs prices inflation percent billion million dollars policy policies meeting
    summit statement spokesperson leaders deadline proposal proposals concessions pressure
    retaliation retaliatory measures sanctions investment investors manufacturing plants
    supply chain chains provinces premiers federal ottawa washington parliament congress
    committee hearing report reports analysts economists forecast growth recession
    quarter bank interest rates currency sector sectors farmers producers consumers
    companies company executives union unions strike talks envoy delegation ambassador
    treaty alliance defence defense military troops sovereignty waters patrol icebreakers
    pipeline crude gas electricity grid hydro uranium potash mining lumber aluminum steel
    vehicles auto parts dairy quota quotas cheese poultry eggs fishing fisheries ports rail
    shipping trucks crossing bridge customs inspection fentanyl migrants asylum visa
    election campaign poll polls voters opposition coalition budget deficit spending
    cuts revenue tax taxes levy exemption exemptions review clause sunset renewal
    dispute panel ruling appeal court judge lawsuit challenge challenges framework
    memorandum understanding accord negotiators round rounds session sessions draft text
    chapter annex schedule rules origin content threshold thresholds compliance
    enforcement monitoring verification reciprocal reciprocity access barrier barriers
    subsidies subsidy dumping countervailing duty remedy remedies safeguard safeguards
    quota retaliate escalate escalation truce pause extension delay delays breakthrough
    stalemate impasse optimism caution warning warnings threat threats uncertainty
    volatility confidence risk risks outlook signal signals response responses""".split()
)

_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to "
    "tu va ve vi vo an en in on ar er or al el il ol st tr pr gr br cl pl fl"
).split()


def build_vocabulary(seed: int, size: int = 12_000) -> tuple[str, ...]:
    """Function words, then content words, then invented words to make a long Zipf tail
    (real corpora have many rare words; the index and the term dictionary should see them)."""
    rng = Random(f"vocabulary:{seed}")
    content = list(dict.fromkeys(CONTENT_WORDS))
    rng.shuffle(content)
    words = list(dict.fromkeys(FUNCTION_WORDS)) + content
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


def zipf_cumulative_weights(count: int, exponent: float = 1.05) -> list[float]:
    """Cumulative weights for ``random.choices``: rank r is drawn with probability ∝ 1/r^s."""
    return list(accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


# (canonical name, aliases). The names match the domain of the sample articles in resources/.
ACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Mark Carney", ("Carney", "Prime Minister Carney")),
    ("Donald Trump", ("Trump", "President Trump")),
    ("Mélanie Joly", ("Joly",)),
    ("Dominic LeBlanc", ("LeBlanc",)),
    ("Howard Lutnick", ("Lutnick",)),
    ("Jamieson Greer", ("Greer",)),
    ("Doug Ford", ("Premier Ford",)),
    ("Danielle Smith", ("Premier Smith",)),
    ("Anita Anand", ("Anand",)),
    ("Chrystia Freeland", ("Freeland",)),
    ("Marco Rubio", ("Rubio",)),
    ("Kirsten Hillman", ("Hillman",)),
    ("François-Philippe Champagne", ("Champagne",)),
    ("Pierre Poilievre", ("Poilievre",)),
    ("Wopke Hoekstra", ("Hoekstra",)),
    ("Scott Bessent", ("Bessent",)),
    ("Tiff Macklem", ("Macklem",)),
    ("David Eby", ("Premier Eby",)),
    ("Claudia Sheinbaum", ("Sheinbaum",)),
    ("Pete Hegseth", ("Hegseth",)),
)

TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tariffs", ("tariff", "levies")),
    ("USMCA", ("CUSMA", "the continental trade pact")),
    ("NORAD", ("continental air defence",)),
    ("Arctic sovereignty", ("Northwest Passage",)),
    ("energy", ("oil exports", "pipelines")),
    ("steel and aluminum", ("steel", "aluminum")),
    ("supply management", ("dairy quotas",)),
    ("softwood lumber", ("lumber duties",)),
    ("critical minerals", ("rare earths",)),
    ("border security", ("the northern border",)),
    ("digital services tax", ("DST",)),
    ("auto sector", ("car plants",)),
    ("defence spending", ("the NATO target",)),
    ("Golden Dome", ("missile defence shield",)),
    ("retaliation", ("counter-tariffs",)),
    ("fentanyl", ("drug trafficking",)),
)

OUTLETS: tuple[tuple[str, str], ...] = (
    ("Northern Ledger", "northernledger.example"),
    ("Capital Wire", "capitalwire.example"),
    ("Lakeshore Times", "lakeshoretimes.example"),
    ("Prairie Dispatch", "prairiedispatch.example"),
    ("Harbour Post", "harbourpost.example"),
    ("Continental Review", "continentalreview.example"),
)

REPORTERS: tuple[str, ...] = (
    "Alex Martin", "Sam Tremblay", "Jordan Roy", "Taylor Gagnon", "Morgan Côté",
    "Casey Wong", "Riley Singh", "Jamie Bouchard", "Robin MacDonald", "Avery Patel",
    "Quinn Leblanc", "Drew Fortin", "Emerson Lee", "Harper Bélanger", "Rowan Clarke",
)

SPEECH_VERBS: tuple[str, ...] = ("said", "told reporters", "wrote", "warned", "added", "argued")

NOTE_TEMPLATES: tuple[str, ...] = (
    "follow up: compare with {topic} coverage elsewhere",
    "key quote from {actor}",
    "check the figure against the official release",
    "contrast with {actor}'s earlier position on {topic}",
    "framing of {topic} as a security issue",
    "follow up with the source",
)
