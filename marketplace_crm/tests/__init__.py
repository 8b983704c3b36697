from . import test_publication_gate
