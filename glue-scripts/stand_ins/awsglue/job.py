"""Job: init and commit are recorded (tests assert a run commits once); there are no bookmarks."""


class Job:
    commits = []

    def __init__(self, glue_context):
        self.glue_context = glue_context
        self.name = None

    def init(self, name, args):
        self.name = name
        self.args = dict(args)

    def commit(self):
        Job.commits.append(self.name)
