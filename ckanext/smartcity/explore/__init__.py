"""Maps and charts of DataStore tables: profile, aggregation, automatic views, view plugins."""
