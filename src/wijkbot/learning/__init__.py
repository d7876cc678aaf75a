"""Routing that learns from a municipality's own history: features, a linear model, training.

Inference (features, model) needs only numpy and runs per message in well under a millisecond; training
imports scikit-learn, and only when a model is trained.
"""
