"""Dutch stop words: function words and the filler people type on a phone in a meeting.

Compared after lower-casing and stripping accents (so "één" is "een"). Kept to words that
carry no topic: "school", "ouders" or "politie" are never stop words, as they tell groups
apart; words every answer shares weigh little anyway through the inverse document frequency.
"""

from __future__ import annotations

STOP_WORDS = frozenset(
    """
    aan aangezien achter af al aldus alle allebei alleen allemaal alles als alsjeblieft alsof
    altijd ander andere anderen anders beetje behalve beide belangrijk belangrijke ben beneden
    bent best beter bij bijna bijv bijv. bijvoorbeeld binnen boven bv d.m.v daar daarbij daarin
    daarna daarnaast daarom daarover daarvan dan dat de deden deed den denk denken der des deze
    dezelfde die dik ding dingen dit dmv doe doen doet door dus echt echter een eens eer eerder
    eerst eerste eigen eigenlijk elk elkaar elke en enige enkel enz er erg ergens etc even
    eventueel ever extra ga gaan gaat gauw gebeuren gebeurt gedaan geen gehad geheel gekund
    geleden gelijk gemoeten gemogen genoeg geweest gewoon gezegd goed goede graag groot grote
    haar had hadden hare has heb hebben hebt heeft heel hele helemaal hem hen her het hier
    hierbij hierin hierover hij hoe hoeveel hoewel hoort horen hun hunne ieder iedere iedereen
    iemand iets ik in inderdaad is ja je jij jou jouw juist jullie kan keer klein kleine kom
    komen komt krijgen krijgt kun kunnen kunt laat lang lange laten later leuk liever maak maakt
    maar maken manier me mee meer meest meeste men mensen met mij mijn minder misschien mn mocht
    moest moesten moet moeten mogelijk mogen na naar naast nadat natuurlijk net niemand niet
    niets nieuw nieuwe nodig nog nogal nooit nou nu of ofwel om omdat onder ondertussen ongeveer
    ons onze ooit ook op over overal per precies qua reeds rond rondom s samen sinds sommige
    soms staan staat steeds t te tegen telkens ten tenminste ter tijdens toch toe toen tot
    tussen tweede u uit uw vaak vaker van vanaf vanuit veel verder via vind vinden vindt voor
    vooraf vooral waar waarbij waarin waarom waarop wanneer want waren was wat we weer weet
    weinig wel welk welke wellicht werd werden weten wie wij wil willen word worden wordt z zaak
    zaken zal ze zeer zeggen zegt zeker zelf zelfs zich zichzelf zie zien ziet zij zijn zit
    zitten zn zo zoals zodat zonder zou zouden zover zowel zulke zullen
    loopt lopen geworden wordt pas eens ineens steeds alweer daardoor waardoor erbij erin erop ermee
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
