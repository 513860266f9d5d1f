"""policykg: Chinese policy action plans → RDF knowledge graph → SPARQL."""

__version__ = "0.1.0"
