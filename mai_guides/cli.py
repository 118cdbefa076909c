"""Registers `flask mai`; its commands and the build side they need load on first use."""
from __future__ import annotations

import click
from flask.cli import AppGroup


class LazyCommands(AppGroup):
    """A group whose subcommands live in mai_guides.commands, imported only when asked for.

    The app factory registers this group in every process, gunicorn workers included;
    importing the commands there would pull content loading, catalogs and pre-rendering
    into the web side, which only reads.
    """

    @staticmethod
    def _commands() -> click.Group:
        from .builder.commands import mai

        return mai

    def list_commands(self, ctx):
        return self._commands().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._commands().get_command(ctx, name)


def init_app(app) -> None:
    app.cli.add_command(LazyCommands("mai", help="Build the site and manage its translations."))
