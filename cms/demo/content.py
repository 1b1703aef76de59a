"""The demo's words: the voice of a Drechtsteden business association, written for Dichtbij."""

from __future__ import annotations


def figure(kind: str, label: str, **parameters: object) -> dict:
    return {"type": "live_figure", "value": {"kind": kind, "label": label, **parameters}}


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def facts(*items: str) -> dict:
    return {"type": "facts", "value": {"heading": "Feiten", "facts": list(items)}}


def quote(text: str, who: str) -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": who}}


INDEX_INTRO = (
    "<p>Zes onderwerpen waar wij als ondernemers in de Drechtsteden ons hard voor maken. "
    "De cijfers erbij komen rechtstreeks uit Dichtbij en zijn altijd van vandaag.</p>"
)
FOREWORD = (
    "<p>Ondernemen doe je samen: met je klanten, je personeel, je buren op het bedrijventerrein "
    "en met de gemeente. In dit boekje staat waar wij de komende jaren op inzetten. Geen "
    "wensenlijst, maar afspraken waar we elkaar op kunnen aanspreken.</p>"
    "<p>Heb je een idee of een vraag? Kom naar een van onze bijeenkomsten of mail het bestuur.</p>"
)

# (slug, title, summary, body)
SPEERPUNTEN = [
    (
        "lokaal-inkopen",
        "Lokaal inkopen",
        "Gemeenten geven elk jaar honderden miljoenen uit. Wij willen dat lokale bedrijven "
        "daarbij een eerlijke kans krijgen: gevraagd worden, niet voorgetrokken.",
        [
            paragraph(
                "Bij onderhandse opdrachten mag een gemeente zelf kiezen wie ze uitnodigt. Nodig "
                "dan ook ondernemers uit de eigen regio uit. Knip grote klussen op in percelen "
                "die een klein bedrijf aankan."
            ),
            figure(
                "open_tenders_cpv",
                "opdrachten voor bouw en onderhoud staan nu open",
                cpv_division="45",
            ),
            figure(
                "local_share",
                "van de uitgaven van Dordrecht blijft in de regio",
                municipality="GM0505",
                year=2025,
                measure="value",
            ),
            facts(
                "De beoordeling blijft eerlijk: lokaal zijn levert geen extra punten op.",
                "Uitnodigen, opknippen en meten mag wel.",
            ),
        ],
    ),
    (
        "ondernemers-helpen-elkaar",
        "Ondernemers helpen elkaar",
        "Wie een goede tegelzetter zoekt, vraagt het aan een collega. Dat netwerk maken we "
        "zichtbaar, zodat je sneller de juiste partner vindt.",
        [
            paragraph(
                "Samen een offerte maken, werk doorgeven als je agenda vol zit, een collega "
                "voorstellen aan een inkoper: zo houden we het werk in de buurt."
            ),
            figure(
                "firms_region",
                "bedrijven uit de Drechtsteden staan in de leveranciersindex",
                region="drechtsteden",
            ),
            quote(
                "Mijn beste klussen kwamen via een andere ondernemer, niet via een advertentie.",
                "een schilder uit Sliedrecht",
            ),
        ],
    ),
    (
        "bereikbaarheid",
        "Bereikbaarheid",
        "Een bedrijf dat je niet kunt bereiken, bestaat niet. Wegen, water en openbaar vervoer "
        "moeten klanten en personeel op tijd op hun plek brengen.",
        [
            paragraph(
                "De N3, de A16 en de Merwedebrug zijn de slagaders van de regio. Plan "
                "onderhoud samen met de bedrijven die ervan afhangen, en houd de waterbus varen."
            ),
            figure(
                "open_tenders_cpv",
                "opdrachten voor vervoer en logistiek staan nu open",
                cpv_division="60",
            ),
        ],
    ),
    (
        "vakmensen-en-onderwijs",
        "Vakmensen en onderwijs",
        "Zonder monteurs, lassers en verpleegkundigen staat de regio stil. Wij willen dat "
        "scholen en bedrijven samen opleiden.",
        [
            paragraph(
                "Meer leerwerkplekken, stages die echt iets opleveren en gastlessen door "
                "vakmensen. Een opdracht van de gemeente kan daar ook om vragen."
            ),
            figure(
                "open_tenders_cpv",
                "opdrachten voor onderwijs en opleiding staan nu open",
                cpv_division="80",
            ),
            figure(
                "firms_region",
                "bedrijven in de Drechtsteden kunnen een leerling een plek geven",
                region="drechtsteden",
            ),
        ],
    ),
    (
        "ruimte-om-te-ondernemen",
        "Ruimte om te ondernemen",
        "Startende en groeiende bedrijven vinden moeilijk een plek. Wij pleiten voor "
        "betaalbare bedrijfsruimte en snelle vergunningen.",
        [
            paragraph(
                "Houd bedrijventerreinen voor bedrijven, vernieuw verouderde terreinen samen "
                "met de gebruikers en geef binnen acht weken antwoord op een aanvraag."
            ),
            figure(
                "open_tenders_cpv",
                "opdrachten voor architecten en ingenieurs staan nu open",
                cpv_division="71",
            ),
        ],
    ),
    (
        "duurzaam-ondernemen",
        "Duurzaam ondernemen",
        "Verduurzamen loont, maar kost eerst geld en tijd. Wij helpen ondernemers de eerste "
        "stap te zetten, samen met de gemeenten.",
        [
            paragraph(
                "Deel zonnepanelen op een bedrijventerrein, laad samen elektrische bussen en "
                "vraag bij inkoop naar zuinig en circulair werk dat lokale bedrijven kunnen "
                "leveren."
            ),
            figure(
                "open_tenders_cpv",
                "opdrachten voor energie en milieu staan nu open",
                cpv_division="09",
            ),
            figure(
                "firms_region",
                "bedrijven in de regio om samen mee te verduurzamen",
                region="drechtsteden",
            ),
        ],
    ),
]

# (slug, title, summary, days ago, body)
NEWS = [
    (
        "dichtbij-gaat-live",
        "Dichtbij gaat live in de Drechtsteden",
        "Gemeenten en ondernemers vinden elkaar vanaf nu op één plek.",
        2,
        [paragraph("Vier gemeenten zetten hun opdrachten al op Dichtbij. Meld je bedrijf aan.")],
    ),
    (
        "speerpunten-vastgesteld",
        "Nieuwe speerpunten vastgesteld",
        "De ledenvergadering koos zes onderwerpen voor de komende jaren.",
        9,
        [paragraph("Lees ze op de site of download het speerpuntenboekje.")],
    ),
    (
        "inkoopspreekuur",
        "Spreekuur met inkopers van de gemeente",
        "Elke eerste dinsdag van de maand kun je aanschuiven bij een inkoper.",
        16,
        [paragraph("Neem je vragen mee over offertes, percelen en voorwaarden.")],
    ),
    (
        "leerwerkplekken",
        "Veertig nieuwe leerwerkplekken in de techniek",
        "Bedrijven en het mbo in Dordrecht bieden samen plek aan leerlingen.",
        30,
        [paragraph("Heb je ruimte voor een leerling? Laat het ons weten.")],
    ),
]

# (slug, title, summary, days ahead, hour, place, address, capacity)
EVENTS = [
    (
        "netwerkavond-dordrecht",
        "Netwerkavond Dordrecht",
        "Ontmoet inkopers en collega-ondernemers bij een hapje en een drankje.",
        12,
        18,
        "Energiehuis, Dordrecht",
        "Noordendijk 250",
        80,
    ),
    (
        "ondernemersontbijt-zwijndrecht",
        "Ondernemersontbijt Zwijndrecht",
        "Een vroeg ontbijt met de wethouder economie en tien minuten per bedrijf.",
        26,
        7,
        "Gemeentehuis Zwijndrecht",
        "Burgemeester Jansenlaan 121",
        40,
    ),
    (
        "inkoopmiddag-sliedrecht",
        "Inkoopmiddag Sliedrecht",
        "Gemeenten vertellen welke opdrachten eraan komen; jij stelt je vragen.",
        40,
        14,
        "Baggermuseum, Sliedrecht",
        "Molendijk 204",
        25,
    ),
]

# (slug, title, intro, body)
STANDARD_PAGES = [
    (
        "over-ons",
        "Over ons",
        "Dichtbij is het platform van de ondernemers in de Drechtsteden.",
        [paragraph("Wij brengen gemeenten en lokale bedrijven bij elkaar, open en eerlijk.")],
    ),
    (
        "privacy",
        "Privacy",
        "Wat wij met je gegevens doen, en wat niet.",
        [paragraph("We bewaren alleen wat nodig is voor je account en je aanmeldingen.")],
    ),
    (
        "toegankelijkheid",
        "Toegankelijkheidsverklaring",
        "Dichtbij wil voor iedereen bruikbaar zijn.",
        [
            paragraph(
                "We toetsen de site op WCAG 2.1 AA. Loop je ergens tegenaan? Laat het ons weten."
            )
        ],
    ),
]
