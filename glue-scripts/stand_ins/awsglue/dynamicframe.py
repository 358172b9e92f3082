"""DynamicFrame: the jobs only wrap a DataFrame to hand it to EvaluateDataQuality and back."""


class DynamicFrame:
    def __init__(self, data_frame, glue_context, name):
        self._data_frame = data_frame
        self.glue_ctx = glue_context
        self.name = name

    @classmethod
    def fromDF(cls, data_frame, glue_context, name):  # noqa: N802 (Glue's name)
        return cls(data_frame, glue_context, name)

    def toDF(self):  # noqa: N802 (Glue's name)
        return self._data_frame
