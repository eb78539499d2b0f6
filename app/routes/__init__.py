"""HTTP and websocket routes: parse input, call one service, render."""
