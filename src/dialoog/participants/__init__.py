"""Participants of a session: Dutch name splitting, appendix order, CSV import, seating.

The pure parts (:mod:`.names`, :mod:`.sorting`, :mod:`.seating`) know nothing of
the database; :mod:`.csv_import` reads files into checked rows; :mod:`.service`
holds the operations on a :class:`dialoog.storage.Store`.
"""
