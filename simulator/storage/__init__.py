"""The portal's state: the SQLite store and its schema (`store`, `tables`), the typed
records it reads back (`records`), the control API's state document (`state_json`)
and the --db file on disk (`dbfile`). Nothing here knows about requests or languages:
the views hand the store the words an invoice keeps."""
