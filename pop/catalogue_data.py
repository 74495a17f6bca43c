"""The sector-wide competence catalogue, seeded by migration 0002 (Dutch data, not UI text).

Level descriptors are observable behaviour in short sentences, so they can be read with the worker:
1 = lukt nog niet zonder veel hulp, 2 = lukt met hulp, 3 = lukt meestal zelf, 4 = lukt zelfstandig,
zoals in een gewone job. (name, description, [level 1..4], default focus)
"""

GENERIC = [
    ("Stiptheid", "Op tijd komen en afspraken over uren nakomen.", [
        "Komt vaak te laat. Verwittigt niet.",
        "Komt soms te laat. Verwittigt meestal wel.",
        "Komt bijna altijd op tijd. Verwittigt altijd als het niet lukt.",
        "Komt altijd op tijd. Houdt zich aan pauzes en afspraken.",
    ], True),
    ("Samenwerken", "Samen met collega's een taak doen.", [
        "Werkt liever alleen. Helpt collega's niet.",
        "Werkt samen als iemand het vraagt.",
        "Werkt goed samen. Helpt collega's uit zichzelf.",
        "Verdeelt het werk mee. Helpt het team vooruit.",
    ], True),
    ("Klantvriendelijkheid", "Vriendelijk en correct omgaan met klanten en bezoekers.", [
        "Groet klanten niet. Reageert soms onvriendelijk.",
        "Is vriendelijk als het rustig is.",
        "Is vriendelijk en helpt klanten met een vraag.",
        "Blijft vriendelijk, ook bij een moeilijke klant.",
    ], False),
    ("Communicatie", "Zeggen wat je bedoelt en luisteren naar anderen.", [
        "Zegt weinig. Vraagt niets als iets niet duidelijk is.",
        "Vertelt iets als men het vraagt.",
        "Vraagt uitleg als iets niet duidelijk is. Vertelt wat er gebeurd is.",
        "Geeft zelf informatie door aan collega's en begeleider.",
    ], False),
    ("Zelfstandigheid", "Een taak doen zonder dat iemand ernaast staat.", [
        "Heeft bij elke stap hulp nodig.",
        "Doet een gekende taak alleen. Vraagt bij iets nieuws hulp.",
        "Doet de meeste taken alleen. Kiest zelf de volgorde.",
        "Werkt alleen. Ziet zelf wat er moet gebeuren.",
    ], False),
    ("Instructies opvolgen", "Doen wat gevraagd is, op de manier die is uitgelegd.", [
        "Vergeet de uitleg snel. Doet het op een eigen manier.",
        "Volgt de uitleg als die herhaald wordt.",
        "Volgt de uitleg na één keer uitleggen.",
        "Volgt de uitleg. Vraagt zelf na als iets verandert.",
    ], True),
    ("Veiligheid op het werk", "Veilig werken voor jezelf en voor anderen.", [
        "Draagt de beschermkledij niet. Ziet gevaar niet.",
        "Draagt beschermkledij als iemand het zegt.",
        "Werkt veilig. Draagt altijd de beschermkledij.",
        "Werkt veilig. Meldt gevaar en waarschuwt collega's.",
    ], False),
    ("Assertiviteit", "Voor jezelf opkomen op een rustige manier.", [
        "Zegt niets, ook als iets niet goed is. Of wordt boos.",
        "Zegt iets na hulp van de begeleider.",
        "Zegt rustig wat hij of zij wil of niet wil.",
        "Zegt rustig 'nee' en zoekt samen een oplossing.",
    ], False),
    ("Omgaan met emoties", "Rustig blijven, ook als het moeilijk gaat.", [
        "Wordt snel boos of verdrietig. Stopt dan met werken.",
        "Wordt soms boos. Kalmeert met hulp.",
        "Blijft meestal rustig. Vraagt hulp als het te veel wordt.",
        "Blijft rustig. Praat er later over met de juiste persoon.",
    ], False),
    ("Zelfreflectie", "Nadenken over je eigen werk en wat beter kan.", [
        "Ziet niet wat goed of fout ging.",
        "Ziet wat fout ging als iemand het uitlegt.",
        "Zegt zelf wat goed ging en wat beter kan.",
        "Zegt wat beter kan en probeert het de volgende keer anders.",
    ], False),
    ("Nederlands op de werkvloer", "Nederlands begrijpen en spreken tijdens het werk.", [
        "Begrijpt weinig Nederlands. Heeft een tolk of gebaren nodig.",
        "Begrijpt korte zinnen over het werk.",
        "Begrijpt de uitleg. Zegt in korte zinnen wat hij of zij bedoelt.",
        "Praat vlot over het werk met collega's en klanten.",
    ], False),
    ("Omgaan met feedback", "Luisteren naar opmerkingen en er iets mee doen.", [
        "Wordt boos of luistert niet bij een opmerking.",
        "Luistert, maar doet er nog weinig mee.",
        "Luistert en past het werk aan.",
        "Vraagt zelf feedback en gebruikt die.",
    ], False),
    ("Flexibiliteit", "Omgaan met veranderingen in het werk.", [
        "Raakt in de war als iets verandert.",
        "Past zich aan met hulp.",
        "Past zich aan als het werk of het uur verandert.",
        "Springt zelf in waar het nodig is.",
    ], False),
    ("Verantwoordelijkheid", "Zorgen voor je werk, materiaal en afspraken.", [
        "Laat materiaal liggen. Maakt het werk niet af.",
        "Maakt het werk af als iemand het controleert.",
        "Maakt het werk af en ruimt op.",
        "Zorgt voor het werk en het materiaal van het team.",
    ], False),
    ("Inzet en motivatie", "Zin hebben om te werken en te leren.", [
        "Heeft weinig zin. Stopt snel.",
        "Werkt mee als iemand aanmoedigt.",
        "Werkt goed door. Wil nieuwe dingen leren.",
        "Neemt zelf initiatief. Wil verder groeien.",
    ], False),
    ("Orde en netheid", "Je werkplek proper en ordelijk houden.", [
        "Laat de werkplek vuil of rommelig achter.",
        "Ruimt op als iemand het vraagt.",
        "Houdt de werkplek meestal proper.",
        "Houdt de werkplek altijd proper. Legt alles op de juiste plaats.",
    ], False),
]

TECHNICAL = {
    "bicycle_point": [
        ("Band herstellen en vervangen", "Een lekke band vinden, plakken of vervangen.", [
            "Weet nog niet hoe een band eraf gaat.",
            "Plakt een band met hulp.",
            "Plakt of vervangt een band alleen.",
            "Vervangt een band snel en controleert remmen en licht.",
        ]),
        ("Remmen en versnellingen afstellen", "Remmen en versnellingen veilig afstellen.", [
            "Kent de onderdelen nog niet.",
            "Stelt remmen af met hulp.",
            "Stelt remmen en versnellingen alleen af.",
            "Zoekt zelf het probleem en lost het op.",
        ]),
        ("Onthaal fietspunt", "Klanten ontvangen en een herstelbon maken.", [
            "Verwijst elke klant door.",
            "Ontvangt een klant met hulp.",
            "Ontvangt klanten en schrijft de herstelling op.",
            "Legt de prijs uit en maakt de afspraak met de klant.",
        ]),
    ],
    "childcare": [
        ("Dagritme met kinderen", "Eten, slapen en spelen op het juiste moment.", [
            "Kent het dagritme nog niet.",
            "Volgt het dagritme met hulp van een collega.",
            "Volgt het dagritme alleen.",
            "Past het ritme aan wat een kind nodig heeft.",
        ]),
        ("Hygiëne en verzorging", "Handen wassen, verluieren, proper werken.", [
            "Vergeet de hygiëneregels.",
            "Volgt de regels als iemand eraan herinnert.",
            "Volgt de hygiëneregels altijd.",
            "Volgt de regels en helpt collega's eraan denken.",
        ]),
        ("Veilig toezicht", "Alle kinderen in het oog houden.", [
            "Let niet op alle kinderen tegelijk.",
            "Let op met hulp van een collega.",
            "Houdt een groep kinderen veilig in het oog.",
            "Ziet gevaar op voorhand en grijpt rustig in.",
        ]),
    ],
    "green_maintenance": [
        ("Machines veilig gebruiken", "Grasmaaier, bosmaaier en haagschaar veilig gebruiken.", [
            "Gebruikt nog geen machines.",
            "Gebruikt een machine met begeleiding.",
            "Gebruikt de machines alleen en veilig.",
            "Doet ook het kleine onderhoud van de machines.",
        ]),
        ("Planten herkennen", "Onkruid en planten uit elkaar houden.", [
            "Herkent nog geen planten.",
            "Herkent enkele planten met hulp.",
            "Herkent de meeste planten en onkruid.",
            "Weet hoe elke plant gesnoeid of verzorgd wordt.",
        ]),
        ("Werf afbakenen en opruimen", "Een werkplek langs de straat veilig maken en netjes achterlaten.", [
            "Vergeet de werf af te bakenen.",
            "Bakent af als iemand het zegt.",
            "Bakent af en ruimt alles op.",
            "Zorgt voor een veilige werf voor het hele team.",
        ]),
    ],
    "odd_jobs": [
        ("Gereedschap gebruiken", "Boor, schroevendraaier en zaag juist gebruiken.", [
            "Kent het gereedschap nog niet.",
            "Gebruikt gereedschap met hulp.",
            "Kiest en gebruikt het juiste gereedschap alleen.",
            "Onderhoudt het gereedschap en legt het uit aan anderen.",
        ]),
        ("Kleine herstellingen", "Een kraan, een lamp of een deur herstellen.", [
            "Doet nog geen herstellingen.",
            "Doet een herstelling met hulp.",
            "Doet een gekende herstelling alleen.",
            "Zoekt zelf de oorzaak en herstelt.",
        ]),
        ("Schilderwerk", "Afplakken, voorbereiden en schilderen.", [
            "Schildert zonder voorbereiding.",
            "Bereidt voor met hulp.",
            "Plakt af, schildert en ruimt op.",
            "Werkt netjes en snel. Schat zelf de tijd en verf in.",
        ]),
    ],
    "laundry": [
        ("Was sorteren", "Was sorteren volgens kleur, stof en temperatuur.", [
            "Sorteert de was nog niet juist.",
            "Sorteert met hulp van de etiketten.",
            "Sorteert de was alleen en juist.",
            "Ziet vlekken en kiest zelf de juiste behandeling.",
        ]),
        ("Strijken", "Kledij netjes strijken en plooien.", [
            "Strijkt nog niet.",
            "Strijkt eenvoudige stukken met hulp.",
            "Strijkt hemden en broeken netjes.",
            "Strijkt snel en netjes. Haalt het tempo van het atelier.",
        ]),
        ("Klant en bon", "Was aannemen, een bon maken en teruggeven.", [
            "Verwijst elke klant door.",
            "Neemt was aan met hulp.",
            "Neemt was aan, maakt de bon en rekent af.",
            "Lost een klacht rustig op.",
        ]),
    ],
    "social_restaurant": [
        ("Keukenhygiëne (HACCP)", "Proper en veilig werken met voedsel.", [
            "Kent de hygiëneregels nog niet.",
            "Volgt de regels als iemand eraan herinnert.",
            "Volgt de regels en vult de lijsten in.",
            "Controleert temperaturen en waarschuwt bij een probleem.",
        ]),
        ("Bereiden volgens recept", "Groenten snijden en een gerecht klaarmaken.", [
            "Heeft bij elke stap hulp nodig.",
            "Maakt een eenvoudig gerecht met hulp.",
            "Maakt een gerecht alleen volgens het recept.",
            "Maakt meerdere gerechten tegelijk, op tijd.",
        ]),
        ("Bediening", "Tafels dekken, bestellingen opnemen en opdienen.", [
            "Dekt nog geen tafel.",
            "Dient op met hulp.",
            "Neemt bestellingen op en dient op.",
            "Houdt meerdere tafels tegelijk in het oog.",
        ]),
    ],
    "home_help": [
        ("Poetsen bij de klant", "Een woning proper maken met de juiste producten.", [
            "Kent de producten nog niet.",
            "Poetst met hulp en een lijst.",
            "Poetst een woning alleen volgens de lijst.",
            "Plant zelf het werk en past het aan de klant aan.",
        ]),
        ("Respect voor de klant", "Discreet en respectvol werken in iemands huis.", [
            "Houdt nog geen rekening met de klant.",
            "Vraagt toestemming met hulp.",
            "Werkt discreet en respectvol.",
            "Merkt op wanneer een klant hulp nodig heeft en meldt het.",
        ]),
        ("Boodschappen en kleine hulp", "Boodschappen doen en eenvoudige hulp bieden.", [
            "Doet nog geen boodschappen voor een klant.",
            "Doet boodschappen met een lijst en hulp.",
            "Doet boodschappen alleen en geeft het wisselgeld terug.",
            "Helpt de klant ook met plannen wat nodig is.",
        ]),
    ],
    "neighbourhood_sport": [
        ("Materiaal klaarzetten", "Sportmateriaal klaarzetten en opruimen.", [
            "Weet niet welk materiaal nodig is.",
            "Zet klaar met hulp.",
            "Zet alles klaar en ruimt op.",
            "Controleert het materiaal en meldt wat stuk is.",
        ]),
        ("Een activiteit begeleiden", "Uitleg geven aan een groep en het spel leiden.", [
            "Begeleidt nog geen groep.",
            "Helpt een collega bij de activiteit.",
            "Begeleidt een kleine groep alleen.",
            "Past de activiteit aan de groep aan.",
        ]),
        ("Veiligheid bij sport", "Gevaar zien en EHBO-regels kennen.", [
            "Ziet gevaar niet.",
            "Ziet gevaar als iemand het zegt.",
            "Zorgt voor een veilige speelplaats.",
            "Grijpt rustig in bij een ongeval en verwittigt de juiste persoon.",
        ]),
    ],
    "other": [
        ("Vaktechniek van de job", "De basistaken van de job juist uitvoeren.", [
            "Kent de basistaken nog niet.",
            "Doet de basistaken met hulp.",
            "Doet de basistaken alleen.",
            "Doet ook moeilijkere taken alleen.",
        ]),
        ("Werktempo", "Het werk op tijd klaar krijgen.", [
            "Werkt veel trager dan gevraagd.",
            "Haalt het tempo met hulp.",
            "Haalt het gevraagde tempo meestal.",
            "Haalt het tempo van een gewone job.",
        ]),
        ("Kwaliteit van het werk", "Het werk goed en volledig afmaken.", [
            "Het werk moet bijna altijd opnieuw.",
            "Het werk is goed na controle.",
            "Het werk is meestal meteen goed.",
            "Controleert zelf het werk. Het is altijd goed.",
        ]),
    ],
}


def seed_catalogue(Competence, CompetenceLevel):  # noqa: N803 — model classes (historical ones in the migration)
    """Create the sector-wide catalogue where it is missing (idempotent)."""
    def add(kind, activity_type, order, name, description, levels, default_focus=False):
        competence, created = Competence.objects.get_or_create(
            organisation=None, kind=kind, activity_type=activity_type, name=name,
            defaults={"description": description, "order": order, "default_focus": default_focus},
        )
        if created:
            CompetenceLevel.objects.bulk_create(
                CompetenceLevel(competence=competence, level=i, descriptor=text)
                for i, text in enumerate(levels, start=1)
            )

    for order, (name, description, levels, default_focus) in enumerate(GENERIC):
        add("generic", "", order, name, description, levels, default_focus)
    for activity_type, items in TECHNICAL.items():
        for order, (name, description, levels) in enumerate(items):
            add("technical", activity_type, order, name, description, levels)
