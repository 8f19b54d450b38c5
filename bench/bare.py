"""The baseline: the least a FastAPI endpoint can do, served the same way as the app."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/ok")
def ok():
    return {"ok": True}
