"""Fills in a questionnaire exported by Assay as a person would in a spreadsheet program.

    fill_questionnaire.py EXPORTED.xlsx FILLED.xlsx

Opens the workbook with openpyxl (as LibreOffice or Excel would, keeping the hidden About sheet,
the protection and the Level drop-down), types levels as numbers and as text, one N/A with a
justification, and notes with accents, CJK and an emoji, then saves it under a new name. Prints
what it typed as JSON, question id -> {level, justification, note}, for the test to compare.
"""

import json
import sys

import openpyxl

# What a participant types: question id -> (level, justification, note). Levels come as Excel
# stores them: a number picked from the drop-down, or text typed by hand.
ANSWERS = {
    "ORG-1": (3, None, "Rôles définis et publiés — 役割は文書化済み"),
    "ORG-2": ("2", None, None),
    "DATA-1": (0, None, "Nothing yet 🙈"),
    "OBS-2": ("N/A", "Batch scoring only: nothing is served online", None),
    "GOV-1": (4, None, "Reviewed every quarter;\nminutes in the wiki"),
}


def main(source, target):
    book = openpyxl.load_workbook(source)
    sheet = book["Questions"]
    headers = [cell.value for cell in sheet[1]]
    level, justification, note = (headers.index(h) + 1 for h in ("Level", "N/A justification", "Note"))
    assert book["About"].sheet_state == "hidden", "the About sheet should stay hidden"
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    typed = {}
    for question, (value, why, text) in ANSWERS.items():
        row = rows[question]
        sheet.cell(row=row, column=level).value = value
        if why is not None:
            sheet.cell(row=row, column=justification).value = why
        if text is not None:
            sheet.cell(row=row, column=note).value = text
        typed[question] = {
            "level": value if value == "N/A" else int(value),
            "justification": why,
            "note": text,
        }
    book.save(target)
    json.dump(typed, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
