"""The use cases over the persistence port (secretary.services.ports); the facade is secretary.services.facade."""
