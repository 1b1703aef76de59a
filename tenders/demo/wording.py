"""What demo tenders are about: Dutch titles, descriptions, places, criteria and questions."""

from __future__ import annotations

from dataclasses import dataclass

from tenders.models import (
    ContractType,
)

# Tenders ------------------------------------------------------------------------------------------

DEFAULT_TENDERS = 40
PAINTER_KVK = "24123456"  # schilder@firma.example
BUILDER_KVK = "24654321"  # bouw@firma.example

# How often each demo buyer puts something out (roughly their population: 120k, 45k, 32k, 25k).
BUYER_WEIGHTS = {
    "gemeente-dordrecht": 5.0,
    "gemeente-zwijndrecht": 2.0,
    "gemeente-papendrecht": 1.6,
    "gemeente-sliedrecht": 1.4,
}
# Neighbourhoods and villages of the demo buyers, for titles like "Groenonderhoud Crabbehof".
AREAS = {
    "GM0505": (
        "Crabbehof",
        "Sterrenburg",
        "Stadspolders",
        "Wielwijk",
        "Reeland",
        "Dubbeldam",
        "Krispijn",
        "de Binnenstad",
    ),
    "GM0642": ("Walburg", "Heerjansdam", "Kort Ambacht", "Nederhoven", "Meerdervoort"),
    "GM0590": ("Westpolder", "Kraaihoek", "Oostpolder", "Molenvliet", "Wilgendonk"),
    "GM0610": ("Baanhoek", "Sliedrecht-Oost", "Sliedrecht-West", "het Centrum"),
}
# (in a title, in a sentence): "Dakrenovatie gemeentehuis", "de dakbedekking van het gemeentehuis".
SITES = (
    ("gemeentehuis", "het gemeentehuis"),
    ("gemeentewerf", "de gemeentewerf"),
    ("basisschool De Regenboog", "basisschool De Regenboog"),
    ("basisschool Het Kompas", "basisschool Het Kompas"),
    ("IKC De Wilgen", "IKC De Wilgen"),
    ("sporthal De Schakel", "sporthal De Schakel"),
    ("zwembad De Houtkamp", "zwembad De Houtkamp"),
    ("bibliotheek", "de bibliotheek"),
    ("wijkcentrum De Ontmoeting", "wijkcentrum De Ontmoeting"),
    ("kinderboerderij De Hooiberg", "kinderboerderij De Hooiberg"),
    ("milieustraat", "de milieustraat"),
    ("brandweerkazerne", "de brandweerkazerne"),
)


@dataclass(frozen=True)
class TenderTemplate:
    """A kind of assignment a municipality puts out. Titles, description and lots may use
    {site} (in a title), {the_site} (in a sentence), {area}, {street}, {place}, {year} and
    {period}."""

    contract_type: str
    cpv_codes: tuple[str, ...]  # the main code first
    titles: tuple[str, ...]
    description: str
    values: tuple[int, int]  # the usual estimated value, excl. VAT
    lots: tuple[str, ...] = ()
    weight: float = 1.0


TENDER_TEMPLATES = (
    TenderTemplate(
        ContractType.WORKS,
        ("45442100", "45440000", "45262100"),
        (
            "Buitenschilderwerk {site}",
            "Schilderwerk en houtrotherstel {site}",
            "Binnenschilderwerk {site}",
            "Meerjarig schilderonderhoud gemeentelijk vastgoed {area}",
        ),
        "Schilderen van kozijnen, deuren, boeidelen en gevelbeplating van {the_site} in {area}, "
        "met houtrotherstel, steigerwerk en het vervangen van beglazing waar nodig.\n\n"
        "Het werk wordt uitgevoerd tussen april en oktober {year}; waar het gebouw in gebruik "
        "is, buiten de openingstijden.",
        (25_000, 450_000),
        ("Schilderwerk buitenzijde", "Houtrotherstel en beglazing", "Binnenschilderwerk"),
        weight=2.0,
    ),
    TenderTemplate(
        ContractType.WORKS,
        ("45261900", "45261210", "45261410"),
        (
            "Dakrenovatie {site}",
            "Vervanging dakbedekking en dakisolatie {site}",
            "Aanleg groen dak {site}",
        ),
        "Verwijderen van de bestaande bitumineuze dakbedekking van {the_site}, aanbrengen van "
        "nieuwe dakisolatie (Rd ten minste 6,0) en dakbedekking, en vernieuwen van de "
        "hemelwaterafvoeren.\n\nHet gebouw blijft tijdens de werkzaamheden in gebruik; "
        "veiligheid en bereikbaarheid vragen een zorgvuldig plan van aanpak.",
        (60_000, 2_400_000),
        ("Dakbedekking en isolatie", "Hemelwaterafvoer, lood- en zinkwerk", "Zonnepanelen"),
        weight=1.5,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("77310000", "77313000", "77340000"),
        (
            "Groenonderhoud {area} {period}",
            "Boomonderhoud en snoeiwerk {area}",
            "Onderhoud parken en plantsoenen {area}",
        ),
        "Beeldgestuurd onderhoud van plantsoenen, hagen, gazons en bomen in {area} op "
        "beeldkwaliteit B (CROW), inclusief zwerfafval in de groenvakken en het melden van "
        "schade.\n\nDe looptijd is {period}; de gemeente kan de opdracht twee keer met een "
        "jaar verlengen.",
        (25_000, 900_000),
        ("Bomen", "Plantsoenen en hagen", "Gazons en bermen"),
        weight=1.5,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("72000000", "72260000", "48000000"),
        (
            "Zaaksysteem en koppelingen met landelijke voorzieningen",
            "Beheer werkplekken en servicedesk {period}",
            "Hosting en beheer van de gemeentelijke website",
            "Dashboard sociaal domein: datagedreven werken",
        ),
        "Levering, implementatie en beheer, passend bij de Baseline Informatiebeveiliging "
        "Overheid (BIO), de AVG en de principes van Common Ground.\n\nDe gemeente "
        "{place} werkt hierin samen met de Drechtsteden; een aansluitende exit-strategie is "
        "onderdeel van de opdracht.",
        (20_000, 800_000),
        ("Licenties", "Implementatie en koppelingen", "Beheer en ondersteuning"),
    ),
    TenderTemplate(
        ContractType.SUPPLIES,
        ("32420000", "30213000", "72611000"),
        (
            "Levering netwerkapparatuur {site}",
            "Levering laptops en dockingstations medewerkers {year}",
        ),
        "Levering, installatie en vier jaar garantie. Apparatuur met een lange levensduur en "
        "een aantoonbaar lage energievraag heeft de voorkeur; de leverancier neemt de oude "
        "apparatuur terug voor hergebruik.",
        (15_000, 400_000),
        weight=0.6,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("55520000", "55510000"),
        (
            "Catering {site}",
            "Lunchvoorziening raadsvergaderingen en bijeenkomsten {period}",
            "Kantinebeheer sporthal De Schakel",
        ),
        "Verzorgen van lunches, vergaderservice en catering bij bijeenkomsten van de "
        "gemeente {place}. Seizoensgebonden, vegetarisch als uitgangspunt, en zo veel "
        "mogelijk producten uit de regio.",
        (15_000, 350_000),
        weight=0.8,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("90911200", "90911300", "90910000"),
        ("Schoonmaakonderhoud {site} {period}", "Glasbewassing gemeentelijke gebouwen {period}"),
        "Dagelijkse en periodieke schoonmaak van {the_site} en de glasbewassing van de "
        "gemeentelijke gebouwen in {place}. Schoonmaak overdag heeft de voorkeur; de huidige "
        "medewerkers krijgen een aanbod volgens de cao.",
        (20_000, 700_000),
        ("Dagelijkse schoonmaak", "Glasbewassing", "Periodieke vloerreiniging"),
    ),
    TenderTemplate(
        ContractType.WORKS,
        ("45233222", "45233142", "45232130"),
        (
            "Herinrichting {street}, {area}",
            "Groot onderhoud elementenverharding {area}",
            "Vervanging riolering en herbestrating {street}, {area}",
        ),
        "Opbreken en opnieuw aanleggen van de verharding, vervangen van het riool en "
        "afkoppelen van het hemelwater in {area}. Bewoners en winkeliers blijven bereikbaar; "
        "de aannemer stemt de fasering af met de gemeente en de hulpdiensten.",
        (80_000, 4_500_000),
        ("Riolering en hemelwater", "Bestrating", "Groen en straatmeubilair"),
        weight=1.3,
    ),
    TenderTemplate(
        ContractType.WORKS,
        ("45331000", "45331100", "45330000"),
        (
            "Vervanging cv-installatie {site}",
            "Verduurzaming installaties {site}: warmtepomp en ventilatie",
        ),
        "Vervangen van de gasgestookte installatie van {the_site} door een all-electric "
        "oplossing met warmtepomp en gebalanceerde ventilatie, inclusief ontwerp, "
        "inregelen en twee jaar onderhoud.",
        (40_000, 1_200_000),
    ),
    TenderTemplate(
        ContractType.WORKS,
        ("45316110", "45310000", "34928500"),
        ("Vervanging openbare verlichting door LED, {area}", "Laadpalen in de openbare ruimte"),
        "Plaatsen en aansluiten in {area}, {place}, met het verwijderen en verwerken van de "
        "oude armaturen en masten. De netbeheerder verzorgt de aansluitingen; de aannemer "
        "coördineert.",
        (30_000, 900_000),
        ("Armaturen en masten", "Aansluitingen en kabelwerk"),
        weight=0.8,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("79810000", "79800000"),
        ("Drukwerk gemeentegids en verkiezingsmateriaal {year}", "Huisstijldrukwerk {period}"),
        "Opmaak, drukken en verzenden voor de gemeente {place}, op papier met FSC-keurmerk. "
        "Levering binnen vijf werkdagen na akkoord op de drukproef.",
        (10_000, 150_000),
        weight=0.6,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("98392000",),
        ("Verhuizing archief en inventaris {site}",),
        "Inpakken, verhuizen en opnieuw opstellen van archief en inventaris van {the_site}, "
        "buiten kantoortijden en in één weekend.",
        (10_000, 120_000),
        weight=0.4,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("79710000", "79713000"),
        ("Beveiliging evenementen {year}", "Bewaking en receptie {site} {period}"),
        "Beveiligers met diploma en Verklaring Omtrent het Gedrag, inzetbaar op korte termijn "
        "en bekend met de evenementenvergunningen van {place}.",
        (20_000, 500_000),
        weight=0.6,
    ),
    TenderTemplate(
        ContractType.SERVICES,
        ("79400000", "71241000"),
        (
            "Advies warmtetransitie {area}",
            "Projectleiding herinrichting {street}, {area}",
            "Onderzoek lokale besteding en inkoopbeleid",
        ),
        "Een adviseur die met bewoners, ondernemers en de gemeente {place} werkt aan een "
        "haalbaar plan, met tussentijdse rapportages aan het college.",
        (15_000, 250_000),
        weight=0.8,
    ),
    TenderTemplate(
        ContractType.SUPPLIES,
        ("39130000", "45421000"),
        ("Levering kantoormeubilair {site}",),
        "Levering en montage van bureaus, stoelen en vergadermeubilair voor {the_site}, "
        "circulair waar mogelijk (hergebruik, refurbished, terugname).",
        (20_000, 350_000),
        weight=0.5,
    ),
    TenderTemplate(
        ContractType.WORKS,
        ("45453000", "45214200", "45421100"),
        ("Renovatie en verduurzaming {site}", "Vervanging kozijnen {site}"),
        "Renoveren van {the_site}: nieuwe kozijnen met HR++-glas, na-isolatie van gevels en "
        "vloeren, en het opknappen van de binnenruimten. Het werk volgt het "
        "duurzaamheidsbeleid van {place} (BENG, circulair bouwen).",
        (100_000, 6_500_000),
        ("Kozijnen en gevels", "Binnenafwerking", "Installaties"),
    ),
)

CRITERIA_SETS = (
    (("Prijs", 40), ("Plan van aanpak", 35), ("Duurzaamheid", 15), ("Social return", 10)),
    (("Prijs", 60), ("Kwaliteit en werkwijze", 25), ("Overlast voor omwonenden", 15)),
    (("Prijs", 30), ("Plan van aanpak", 30), ("Risicobeheersing", 20), ("CO2-reductie", 20)),
    (("Prijs", 50), ("Dienstverlening en bereikbaarheid", 30), ("Duurzaamheid", 20)),
)
# (question, answer): what firms ask in the nota van inlichtingen, never saying who they are.
QUESTIONS = (
    (
        "Mogen wij als combinatie van twee lokale bedrijven inschrijven?",
        "Ja. Een combinatie schrijft in als één inschrijver; vermeld wie penvoerder is en voeg "
        "de samenwerkingsovereenkomst toe.",
    ),
    (
        "Is er een schouw van de locatie mogelijk?",
        "Ja, op afspraak via de contactpersoon. Alle inschrijvers kunnen op dezelfde "
        "voorwaarden een schouw aanvragen.",
    ),
    (
        "Welke referentieprojecten verwacht u?",
        "Twee vergelijkbare opdrachten uit de laatste vijf jaar, met naam en telefoonnummer "
        "van de opdrachtgever.",
    ),
    (
        "Geldt er een eis voor social return?",
        "Ja: 5 % van de opdrachtwaarde besteedt u aan mensen met een afstand tot de "
        "arbeidsmarkt, in overleg met het Werkgeversservicepunt Drechtsteden.",
    ),
    (
        "Kan de planning schuiven als materialen later geleverd worden?",
        "In overleg, als u de vertraging direct meldt. De einddatum blijft leidend.",
    ),
    (
        "Moeten wij per perceel een apart prijzenblad invullen?",
        "Ja. Vul per perceel waarop u inschrijft een eigen prijzenblad in.",
    ),
    (
        "Is een VCA-certificaat verplicht voor onderaannemers?",
        "Ja, voor iedereen die op de locatie werkt. Een gelijkwaardig certificaat is ook goed.",
    ),
    (
        "Mag de inschrijving in het Engels?",
        "Nee, de inschrijving en alle bijlagen zijn in het Nederlands.",
    ),
)
CANCEL_REASONS = (
    "De gemeenteraad heeft het budget niet beschikbaar gesteld.",
    "De opdracht gaat op in een gezamenlijke aanbesteding van de Drechtsteden.",
    "Uit de vragen bleek dat de opdracht niet duidelijk genoeg omschreven was; wij zetten haar "
    "opnieuw uit.",
    "Het gebouw wordt eerder gesloopt dan gepland.",
)
