"""Contacts kept in step with an address book: `vdir` joins a folder of
vCards (`formats.card`) to the contacts (`store.sync`); `merge` is the pure
three-way merge of one card's fields with its contact's."""
