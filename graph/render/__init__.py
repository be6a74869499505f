"""Renderers: each module turns a graph, a plan or a query result into text."""
