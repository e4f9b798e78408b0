"""The cancel domain, bound to an API's IR (see :mod:`generator.cancel.model`)."""
