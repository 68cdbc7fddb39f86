"""`twincli import`: a programme's spreadsheets (CSV or .xlsx) brought in as one checked change.

The pipeline, one module a step: `sheet` reads a file into cells that know their place
(`cities.xlsx:Cohort 3!C7`); `headers` finds the header row and matches each column to a
field; `cells` reads a cell's value (ticks, dates, states, countries); `plan` turns the rows
into the change of the programme's files (`cities` for a cities sheet, `kinds` for the
others), which `edit.transaction.commit` checks with the folder before anything is written.
A problem anywhere in the sheet is a `SheetProblem`, and all of them are found before any is
reported.
"""
