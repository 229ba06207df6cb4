"""The local web app: server-rendered pages over the shared views, and a JSON API under /api/."""
