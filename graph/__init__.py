"""A knowledge-graph explorer of topic dependencies.

Topics, resources and degrees, read from ``nodes.yaml`` and ``edges.yaml``,
become a validated ``networkx.DiGraph`` whose edges record typed relations and
their reasons; from it come study orders, prerequisite queries and an
interactive HTML map.
"""

__version__ = "0.1.0"
