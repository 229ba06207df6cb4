"""A learned event-type model: the quad class and PLOVER type of a clause, from hashed features.

Trained by `train.py` (`make train`) on public sentences and our own gold,
shipped as `event_type_model.bin`, read lazily on first use; MODEL_CARD.md
says what it learned from, how well it does and where it should not be trusted.

    from detente.nlp.events.model import event_type_model
    reading = event_type_model().read(sentence_span, head_token)
    reading.quad        # probabilities of classes 0-4
    reading.type        # the likeliest PLOVER type, or NONE
"""

from detente.nlp.events.model.labels import NONE, PLOVER_TYPES, QUAD_CLASSES, TYPE_CLASSES, quad_of_type
from detente.nlp.events.model.model import EventTypeModel, ModelFormatError, Reading, event_type_model, using_model

__all__ = [
    "NONE", "PLOVER_TYPES", "QUAD_CLASSES", "TYPE_CLASSES", "quad_of_type",
    "EventTypeModel", "ModelFormatError", "Reading", "event_type_model", "using_model",
]
