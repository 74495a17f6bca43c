"""Default regime rule table: the legal (and practice) numbers behind `trajects.rules`.

One row per regime and rule. A data migration loads these rows into the
`RegimeRule` model (same field names), after which organisations may edit them;
`rules.RuleSet.from_rows()` accepts either these dicts or `RegimeRule` objects.

Conventions
- `value` is JSON-serialisable: an int, an ISO date string (unit "date") or a
  list of ints (unit "months_list").
- `valid_from` / `valid_to` are inclusive; `None` means open-ended. Every first
  version is open-ended (its source names the date it entered into force); a
  later amendment is added as a new row with `valid_from`, and the previous row
  gets `valid_to` = the day before. Rules are looked up on the date the
  deadline is anchored to (hire date, decision date, ...).
- `source` names the legal instrument. Instruments are cited without article
  numbers on purpose: those must be checked against the consolidated texts
  (codex.vlaanderen.be) before a number is added. Numbers that are not law but
  sector practice say so: "praktijkstandaard (instelbaar)".
"""

from datetime import date

DECREE_LDE = "Decreet LDE 22/11/2013"
ORDER_LDE = "BVR 19/12/2014"
DECREE_MW = "Decreet maatwerk 14/01/2022"
ORDER_MW = "BVR 15/07/2022"
VDAB_THROUGHFLOW = "VDAB-werkwijze doorstroomtraject"
PRACTICE = "praktijkstandaard (instelbaar)"

REGIMES = ("GENERAL", "LDE", "TRANSITION", "IMW_5Y", "IMW_2Y", "CMW", "SINE")


def _row(
    regime: str,
    key: str,
    value: int | str | list[int],
    unit: str,
    source: str,
    label_nl: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> dict:
    return {
        "regime": regime,
        "key": key,
        "value": value,
        "unit": unit,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "source": source,
        "label_nl": label_nl,
    }


DEFAULT_RULES: tuple[dict, ...] = (
    # --- GENERAL: cross-cutting rules (POP, throughflow track, aftercare) ---
    _row(
        "GENERAL",
        "pop_first_registration_months",
        1,
        "months",
        f"{ORDER_LDE}; {ORDER_MW} (POP bij VDAB binnen 1 maand na aanwerving)",
        "Eerste POP bij VDAB registreren binnen 1 maand na aanwerving",
    ),
    _row(
        "GENERAL",
        "pop_review_months",
        12,
        "months",
        f"{DECREE_LDE}; {ORDER_LDE} (jaarlijkse evaluatie van het POP)",
        "POP jaarlijks evalueren",
    ),
    _row(
        "GENERAL",
        "pop_update_lead_days",
        10,
        "days",
        f"{ORDER_MW}; VDAB-werkwijze evaluatie (POP-update ten minste 10 dagen vooraf)",
        "POP-update ten minste 10 dagen vóór een VDAB-evaluatie",
    ),
    _row(
        "GENERAL",
        "throughflow_start_months",
        3,
        "months",
        f"{VDAB_THROUGHFLOW} (start binnen 3 maanden na gunstige beslissing)",
        "Doorstroomtraject start binnen 3 maanden na gunstige beslissing",
    ),
    _row(
        "GENERAL",
        "phase_preparation_max_months",
        1,
        "months",
        f"{VDAB_THROUGHFLOW} (voortraject)",
        "Voortraject duurt maximaal 1 maand",
    ),
    _row(
        "GENERAL",
        "phase_job_matching_max_months",
        3,
        "months",
        f"{VDAB_THROUGHFLOW} (jobmatching)",
        "Jobmatching duurt maximaal 3 maanden",
    ),
    _row(
        "GENERAL",
        "phase_internship_max_months",
        3,
        "months",
        f"{VDAB_THROUGHFLOW} (stage bij de doelwerkgever)",
        "Stage bij de doelwerkgever duurt maximaal 3 maanden",
    ),
    _row(
        "GENERAL",
        "phase_aftercare_max_months",
        3,
        "months",
        f"{VDAB_THROUGHFLOW} (nazorg)",
        "Nazorg duurt maximaal 3 maanden",
    ),
    _row(
        "GENERAL",
        "coaching_budget_hours",
        140,
        "hours",
        f"{VDAB_THROUGHFLOW} (ca. 140 uur begeleiding)",
        "Begeleidingsbudget doorstroomtraject: 140 uur",
    ),
    _row(
        "GENERAL",
        "aftercare_followup_months",
        [1, 3, 6, 12],
        "months_list",
        PRACTICE,
        "Opvolging na uitstroom na 1, 3, 6 en 12 maanden",
    ),
    _row(
        "GENERAL",
        "end_alert_months",
        [12, 6, 3],
        "months_list",
        PRACTICE,
        "Waarschuwing 12, 6 en 3 maanden vóór het einde van het traject",
    ),
    _row(
        "GENERAL",
        "pandemic_suspension_from",
        "2020-03-20",
        "date",
        "COVID-19-maatregel Vlaamse overheid (DWSE): doorstroomverplichtingen "
        "opgeschort vanaf 20/03/2020 voor de duur van de crisis",
        "Pandemieschorsing kan ten vroegste op 20/03/2020 beginnen",
    ),
    # --- LDE: lokale diensteneconomie ---
    _row(
        "LDE",
        "term_years",
        5,
        "years",
        f"{DECREE_LDE}; {ORDER_LDE} (inschakelingstraject van maximaal 5 jaar)",
        "Traject duurt maximaal 5 jaar vanaf de start van de tewerkstelling",
    ),
    _row(
        "LDE",
        "count_from",
        "2015-04-01",
        "date",
        f"{DECREE_LDE}, in werking 01/04/2015 (telling vanaf 01/04/2015 voor eerdere aanwervingen)",
        "Voor wie vóór 01/04/2015 in dienst kwam, telt het traject vanaf 01/04/2015",
    ),
    _row(
        "LDE",
        "entry_until",
        "2023-06-30",
        "date",
        f"{DECREE_MW} (geen nieuwe LDE-instroom na 30/06/2023)",
        "Geen nieuwe LDE-trajecten na 30/06/2023",
    ),
    _row(
        "LDE",
        "sixth_year_max_months",
        12,
        "months",
        f"{ORDER_LDE} (uitzonderlijk een zesde jaar)",
        "Uitzonderlijke verlenging met een zesde jaar (maximaal 12 maanden)",
    ),
    _row(
        "LDE",
        "age_55_min_age",
        55,
        "years",
        f"{ORDER_LDE} (verlenging voor 55-plussers zonder reguliere vacature)",
        "Verlenging 55+: werknemer is minstens 55 jaar bij de ingang",
    ),
    _row(
        "LDE",
        "age_55_block_years",
        5,
        "years",
        f"{ORDER_LDE} (55+: gerekend in veelvouden van 5 jaar vanaf de start)",
        "Verlenging 55+ loopt tot de volgende grens van 5 jaar",
    ),
    _row(
        "LDE",
        "suspensions_shift_end",
        1,
        "bool",
        f"{ORDER_LDE}; COVID-19-maatregel DWSE (schorsingen verlengen het traject)",
        "Schorsingen schuiven het einde van het traject op",
    ),
    # --- TRANSITION: overgangsregeling LDE -> IMW ---
    _row(
        "TRANSITION",
        "term_years",
        5,
        "years",
        f"{DECREE_MW}; {ORDER_MW} (tijdelijke compensatie tot het einde van het LDE-traject)",
        "Tijdelijke compensatie tot het einde van het LDE-traject (5 jaar)",
    ),
    _row(
        "TRANSITION",
        "count_from",
        "2015-04-01",
        "date",
        f"{DECREE_LDE}, in werking 01/04/2015",
        "Voor wie vóór 01/04/2015 in dienst kwam, telt het traject vanaf 01/04/2015",
    ),
    _row(
        "TRANSITION",
        "entry_until",
        "2023-06-30",
        "date",
        f"{DECREE_MW} (overgangsregeling voor werknemers in dienst op 30/06/2023)",
        "Alleen voor werknemers die op 30/06/2023 in dienst waren",
    ),
    _row(
        "TRANSITION",
        "sixth_year_max_months",
        12,
        "months",
        f"{ORDER_LDE} (uitzonderlijk een zesde jaar)",
        "Uitzonderlijke verlenging met een zesde jaar (maximaal 12 maanden)",
    ),
    _row(
        "TRANSITION",
        "age_55_min_age",
        55,
        "years",
        f"{ORDER_LDE} (verlenging voor 55-plussers)",
        "Verlenging 55+: werknemer is minstens 55 jaar bij de ingang",
    ),
    _row(
        "TRANSITION",
        "age_55_block_years",
        5,
        "years",
        f"{ORDER_LDE} (55+: gerekend in veelvouden van 5 jaar vanaf de start)",
        "Verlenging 55+ loopt tot de volgende grens van 5 jaar",
    ),
    _row(
        "TRANSITION",
        "suspensions_shift_end",
        1,
        "bool",
        f"{ORDER_LDE}; {DECREE_MW}",
        "Schorsingen schuiven het einde van de compensatie op",
    ),
    _row(
        "TRANSITION",
        "evaluation_request_lead_months",
        6,
        "months",
        PRACTICE,
        "VDAB-evaluatie op het IMW-dossier aanvragen 6 maanden vóór het einde",
    ),
    # --- IMW_5Y: individueel maatwerk, blijvende problematiek ---
    _row(
        "IMW_5Y",
        "entry_from",
        "2023-07-01",
        "date",
        f"{DECREE_MW}; {ORDER_MW}, in werking 01/07/2023",
        "Individueel maatwerk bestaat vanaf 01/07/2023",
    ),
    _row(
        "IMW_5Y",
        "term_years",
        5,
        "years",
        f"{ORDER_MW} (5 jaar vanaf het kwartaal van de beslissing, hernieuwbaar)",
        "Duur 5 jaar vanaf de eerste dag van het kwartaal van de beslissing",
    ),
    _row("IMW_5Y", "renewable", 1, "bool", f"{ORDER_MW}", "Hernieuwbaar"),
    _row(
        "IMW_5Y",
        "renewal_window_years_before_end",
        2,
        "years",
        f"{ORDER_MW} (hernieuwing ten vroegste in het voorlaatste jaar)",
        "Hernieuwing aanvragen kan vanaf het begin van het voorlaatste jaar",
    ),
    _row(
        "IMW_5Y",
        "renewal_request_lead_months",
        6,
        "months",
        PRACTICE,
        "Hernieuwing aanvragen uiterlijk 6 maanden vóór het einde",
    ),
    _row("IMW_5Y", "suspensions_shift_end", 1, "bool", f"{ORDER_MW}", "Schorsingen schuiven het einde op"),
    # --- IMW_2Y: individueel maatwerk, problematiek die kan verbeteren ---
    _row(
        "IMW_2Y",
        "entry_from",
        "2023-07-01",
        "date",
        f"{DECREE_MW}; {ORDER_MW}, in werking 01/07/2023",
        "Individueel maatwerk bestaat vanaf 01/07/2023",
    ),
    _row(
        "IMW_2Y",
        "term_years",
        2,
        "years",
        f"{ORDER_MW} (maximaal 2 jaar, niet hernieuwbaar)",
        "Duur maximaal 2 jaar vanaf de eerste dag van het kwartaal van de beslissing",
    ),
    _row("IMW_2Y", "renewable", 0, "bool", f"{ORDER_MW}", "Niet hernieuwbaar"),
    _row(
        "IMW_2Y",
        "end_evaluation_lead_months",
        6,
        "months",
        PRACTICE,
        "VDAB-evaluatie aanvragen 6 maanden vóór het einde",
    ),
    _row("IMW_2Y", "suspensions_shift_end", 1, "bool", f"{ORDER_MW}", "Schorsingen schuiven het einde op"),
    # --- CMW: collectief maatwerk ---
    _row(
        "CMW",
        "term_years",
        5,
        "years",
        f"{DECREE_MW}; {ORDER_MW}; VDAB-werkwijze startpakket",
        "Startpakket 5 jaar geldig vanaf de aanwerving",
    ),
    _row(
        "CMW",
        "evaluation_min_years",
        2,
        "years",
        f"{ORDER_MW}; VDAB-werkwijze startpakket",
        "Evaluatie aanvragen vanaf 2 jaar + 1 dag tewerkstelling (jaren)",
    ),
    _row(
        "CMW",
        "evaluation_extra_days",
        1,
        "days",
        f"{ORDER_MW}; VDAB-werkwijze startpakket",
        "Evaluatie aanvragen vanaf 2 jaar + 1 dag tewerkstelling (dagen)",
    ),
    _row(
        "CMW",
        "medical_min_effective_weeks",
        8,
        "weeks",
        f"{ORDER_MW}; VDAB-werkwijze startpakket (gewijzigde, geattesteerde medische reden)",
        "Vroegere evaluatie om medische reden na minstens 8 weken effectief werk",
    ),
    _row(
        "CMW",
        "suspensions_shift_end",
        0,
        "bool",
        f"VDAB-werkwijze startpakket; {PRACTICE}",
        "Schorsingen verlengen de geldigheid van het startpakket niet",
    ),
    # --- SINE: afzonderlijk statuut, uitdovend ---
    _row(
        "SINE",
        "entry_until",
        "2023-06-30",
        "date",
        f"{DECREE_MW} (geen nieuwe SINE vanaf 01/07/2023)",
        "Geen nieuwe SINE-statuten na 30/06/2023",
    ),
    _row(
        "SINE",
        "phase_out_from",
        "2023-07-01",
        "date",
        f"{DECREE_MW} (uitdoving SINE)",
        "Uitdoving SINE vanaf 01/07/2023",
    ),
    _row(
        "SINE",
        "phase_out_years",
        2,
        "years",
        f"{DECREE_MW} (bestaande SINE nog maximaal 2 jaar)",
        "Bestaande SINE loopt nog maximaal 2 jaar",
    ),
)
