#!/usr/bin/env python3
"""Test fixture for load runs: copies one API-created station row N times under new identities (PREFIX00001...)
straight into a Voltgate SQLite database, so a 19,000-station run does not first spend minutes admitting
unknown stations one by one. usage: seed-stations.py DB TEMPLATE_IDENTITY PREFIX COUNT"""
import sqlite3, sys, uuid
db, template, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = sqlite3.connect(db, timeout=30)
cols = [r[1] for r in c.execute('PRAGMA table_info("Stations")')]
row = dict(zip(cols, c.execute('SELECT * FROM "Stations" WHERE "Identity" = ?', (template,)).fetchone()))
rows = []
for i in range(1, count + 1):
    r = dict(row, Id=str(uuid.uuid4()).upper(), Identity=f"{prefix}{i:05d}")
    rows.append(tuple(r[k] for k in cols))
c.executemany(f'INSERT OR IGNORE INTO "Stations" ({",".join(chr(34)+k+chr(34) for k in cols)}) VALUES ({",".join("?"*len(cols))})', rows)
c.commit()
print(f"{prefix}: {count} stations")
